#!/usr/bin/env python3
"""Peer for AugmentBenchmark.composite: the same Eq. 3 normal equations solved by scipy.

usage: composite_scipy.py [--sizes 224,128] [--budget SECONDS]
Prints one JSON line per (size, method): {"peer": "scipy", "method": ..., "size": N, "ms": median,
"runs": k}. The system is facenorm's GridSolver system: (Dx'Dx + Dy'Dy + diag(M^2)) x = b for 3
channels, M a Gaussian-blurred convex-hull mask of the benchmark's synthetic landmarks (sigma =
size / 56, as AugmentBenchmark), textures as AugmentBenchmark's (smooth waves plus 5 % noise).
Methods: "splu" factorizes once per mask (like facenorm's plan) and back-substitutes 3 channels per
call; "spsolve" factorizes and solves on every call. Times are per 3-channel composite, 1 thread
(OMP/OpenBLAS threads set to 1 by the caller). numpy + scipy only.
"""
import argparse
import json
import math
import statistics
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy import ndimage
from scipy.spatial import Delaunay


def landmarks(size):
    pts = []
    for i in range(68):
        ang = 2 * math.pi * i / 68
        rad = 0.25 + 0.08 * ((i * 7) % 5) / 5.0
        pts.append((size * (0.5 + rad * math.cos(ang)), size * (0.52 + 1.15 * rad * math.sin(ang))))
    return np.array(pts)


def mask(size):
    tri = Delaunay(landmarks(size))
    yy, xx = np.mgrid[0:size, 0:size]
    inside = tri.find_simplex(np.stack([xx.ravel() + 0.5, yy.ravel() + 0.5], 1)) >= 0
    m = inside.reshape(size, size).astype(float)
    return np.clip(ndimage.gaussian_filter(m, size / 56.0), 0, 1)


def texture(size, rng):
    f = rng.random()
    y, x, c = np.mgrid[0:size, 0:size, 0:3]
    s = 0.5 + 0.2 * np.sin(0.05 * x * (1 + f + c)) + 0.15 * np.cos(0.04 * y * (2 - f)) \
        + 0.05 * (rng.random((size, size, 3)) - 0.5)
    return np.clip(s, 0, 1)


def system(size):
    n = size * size
    idx = np.arange(n).reshape(size, size)
    def diff(a, b):
        k = a.size
        rows = np.repeat(np.arange(k), 2)
        cols = np.stack([a.ravel(), b.ravel()], 1).ravel()
        vals = np.tile([-1.0, 1.0], k)
        return sp.csr_matrix((vals, (rows, cols)), shape=(k, n))
    dx = diff(idx[:, :-1], idx[:, 1:])
    dy = diff(idx[:-1, :], idx[1:, :])
    m = mask(size)
    a = (dx.T @ dx + dy.T @ dy + sp.diags(m.ravel() ** 2)).tocsc()
    return a, dx, dy, m


def rhs(dx, dy, m, face, back):
    size = m.shape[0]
    mx = 0.5 * (m[:, :-1] + m[:, 1:]).ravel()
    my = 0.5 * (m[:-1, :] + m[1:, :]).ravel()
    out = []
    for ch in range(3):
        f = face[..., ch].ravel()
        b = back[..., ch].ravel()
        gx = mx * (dx @ f) + (1 - mx) * (dx @ b)
        gy = my * (dy @ f) + (1 - my) * (dy @ b)
        out.append(dx.T @ gx + dy.T @ gy + (m.ravel() ** 2) * f)
    return np.stack(out, 1)


def timed(fn, budget):
    fn()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < budget or len(times) < 3:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), len(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="224,128")
    ap.add_argument("--budget", type=float, default=3.0)
    args = ap.parse_args()
    rng = np.random.default_rng(42)
    for size in [int(s) for s in args.sizes.split(",")]:
        a, dx, dy, m = system(size)
        face, back = texture(size, rng), texture(size, rng)
        lu = spla.splu(a)
        def once_splu():
            x = lu.solve(rhs(dx, dy, m, face, back))
            return np.clip(x, 0, 1)
        def once_spsolve():
            x = spla.spsolve(a, rhs(dx, dy, m, face, back))
            return np.clip(x, 0, 1)
        for name, fn in (("splu", once_splu), ("spsolve", once_spsolve)):
            ms, runs = timed(fn, args.budget)
            print(json.dumps({"peer": "scipy", "method": name, "size": size, "ms": round(ms, 3),
                              "runs": runs}), flush=True)


if __name__ == "__main__":
    main()
