#!/usr/bin/env python3
"""numpy / scipy peers for the TFA sparse_image_warp workload.

Variants (peer "numpy-scipy"):
  f32-tfa     float32, TFA's formulas in numpy: |x|^2 - 2 x.c + |c|^2 distance expansion (a K=2 GEMM),
              np.linalg.solve of the float32 block system, phi on the (H*W, N) matrix, @ w + affine;
              sampling with scipy.ndimage.map_coordinates(order=1) (one call per channel).
  f32-direct  float32, direct differences (dx^2 + dy^2) instead of the expansion, same solve/sampling.
  f64-direct  float64 version of f32-direct.
Peer "scipy-rbf": scipy.interpolate.RBFInterpolator(kernel='linear' | 'thin_plate_spline', degree=1,
  smoothing=0) on the 76 centers, evaluated at every pixel (float64), + map_coordinates.
  'linear' is -r and 'thin_plate_spline' is r^2 log r: with degree 1 these span the same interpolant as
  TFA's order 1 / order 2.

Sampling: coordinates (y - fy, x - fx) are clipped to [0, size-1] (identical to TFA's floor/alpha clamping)
and map_coordinates runs with mode='nearest', order=1, output float32.
Batch > 1 is a Python loop over images (neither library has a batch dimension here).
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
from scipy import ndimage
from scipy.interpolate import RBFInterpolator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workload as wl  # noqa: E402

EPS = 1e-10
_GRID: dict = {}


def grid_xy(h, w, dtype):
    """(H*W, 2) pixel positions (x, y), row-major; cached (a constant)."""
    key = (h, w, np.dtype(dtype).str)
    g = _GRID.get(key)
    if g is None:
        yy, xx = np.meshgrid(np.arange(h, dtype=dtype), np.arange(w, dtype=dtype), indexing="ij")
        g = np.ascontiguousarray(np.stack([xx.ravel(), yy.ravel()], axis=1))
        _GRID[key] = g
    return g


def phi_inplace(r2, order):
    if order == 1:
        np.maximum(r2, r2.dtype.type(EPS), out=r2)
        np.sqrt(r2, out=r2)
        return r2
    t = np.maximum(r2, r2.dtype.type(EPS))
    np.log(t, out=t)
    t *= r2
    t *= r2.dtype.type(0.5)
    return t


def fit(centers, values, order, dtype, expansion):
    c = centers.astype(dtype, copy=False)
    n = len(c)
    if expansion:  # TFA _pairwise_squared_distance_matrix: diag(x x^T) trick
        xxt = c @ c.T
        nrm = np.diagonal(xxt)
        r2 = nrm[:, None] - 2 * xxt + nrm[None, :]
    else:
        d0 = c[:, None, 0] - c[None, :, 0]
        d1 = c[:, None, 1] - c[None, :, 1]
        r2 = d0 * d0 + d1 * d1
    a = phi_inplace(r2, order)
    lhs = np.zeros((n + 3, n + 3), dtype)
    lhs[:n, :n] = a
    lhs[:n, n:n + 2] = c
    lhs[:n, n + 2] = 1
    lhs[n:n + 2, :n] = c.T
    lhs[n + 2, :n] = 1
    rhs = np.zeros((n + 3, 2), dtype)
    rhs[:n] = values
    wv = np.linalg.solve(lhs, rhs)
    return c, wv[:n], wv[n:]


def flow_numpy(h, w, centers, values, order, dtype, expansion):
    """Dense flow (H*W, 2) as (dx, dy)."""
    c, wts, v = fit(centers, values, order, dtype, expansion)
    q = grid_xy(h, w, dtype)
    if expansion:  # TFA _cross_squared_distance_matrix
        r2 = (q * q).sum(1)[:, None] - 2 * (q @ c.T) + (c * c).sum(1)[None, :]
    else:
        dx = np.subtract.outer(q[:, 0], c[:, 0])
        dy = np.subtract.outer(q[:, 1], c[:, 1])
        dx *= dx
        dy *= dy
        dx += dy
        r2 = dx
    p = phi_inplace(r2, order)
    fl = p @ wts
    fl += q @ v[:2]
    fl += v[2]
    return fl


def sample_map_coordinates(image, fl, h, w):
    """TFA-clamped bilinear via map_coordinates; fl (H*W, 2) = (dx, dy)."""
    q = grid_xy(h, w, np.float64)
    coords = np.empty((2, h * w))
    np.subtract(q[:, 1], fl[:, 1], out=coords[0])
    np.subtract(q[:, 0], fl[:, 0], out=coords[1])
    np.clip(coords[0], 0, h - 1, out=coords[0])
    np.clip(coords[1], 0, w - 1, out=coords[1])
    c = image.shape[2]
    out = np.empty((h * w, c), np.float32)
    for ch in range(c):
        out[:, ch] = ndimage.map_coordinates(image[:, :, ch], coords, order=1, mode="nearest",
                                             output=np.float32, prefilter=False)
    return out.reshape(h, w, c)


def warp_numpy(image, centers, values, order, dtype, expansion):
    h, w = image.shape[:2]
    fl = flow_numpy(h, w, centers, values, order, dtype, expansion)
    return sample_map_coordinates(image, fl, h, w)


def warp_rbf(image, centers, values, order):
    h, w = image.shape[:2]
    kernel = "linear" if order == 1 else "thin_plate_spline"
    rbf = RBFInterpolator(centers.astype(np.float64), values.astype(np.float64), kernel=kernel,
                          degree=1, smoothing=0.0)
    fl = rbf(grid_xy(h, w, np.float64))
    return sample_map_coordinates(image, fl, h, w)


VARIANTS = {
    "f32-tfa": lambda im, c, v, k: warp_numpy(im, c, v, k, np.float32, True),
    "f32-direct": lambda im, c, v, k: warp_numpy(im, c, v, k, np.float32, False),
    "f64-direct": lambda im, c, v, k: warp_numpy(im, c, v, k, np.float64, False),
    "rbf": lambda im, c, v, k: warp_rbf(im, c, v, k),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    wl.add_timing_args(ap)
    ap.add_argument("--variants", default="f32-tfa,f32-direct,f64-direct,rbf",
                    help="comma list of " + ",".join(VARIANTS))
    args = ap.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    timing = dict(warmup=args.warmup, min_reps=args.min_reps, max_reps=args.max_reps, budget_s=args.budget)
    for case, order in wl.selected(args):
        ref = wl.load_reference(args.workdir, case, order)
        imgs, cen, val = case["image"], case["centers"], case["values"]
        B = case["batch"]
        for var in variants:
            fn = VARIANTS[var]
            times, outs = wl.measure(lambda: [fn(imgs[b], cen[b], val[b], order) for b in range(B)], **timing)
            err = wl.max_err(np.stack(outs), ref)
            peer = "scipy-rbf" if var == "rbf" else "numpy-scipy"
            variant = ("f64-" + ("linear" if order == 1 else "thin_plate_spline")) if var == "rbf" else var
            if B > 1:
                variant += "-loop"
            wl.emit(wl.record(peer, variant, case, order, 1, "forward", times, err))


if __name__ == "__main__":
    main()
