#!/usr/bin/env python3
"""Seeded workloads and the float64 reference for the sparse-image-warp peers.

Semantics (TFA ``sparse_image_warp`` with ``num_boundary_points=2``, regularization 0):

* points are stored in (x, y) pixel order (TFA itself takes (y, x); the torch port swaps them);
* centers = dest points + 8 zero-flow boundary points (TFA ``_get_boundary_locations(H, W, 1)``:
  the border of a 3x3 grid, row-major, appended after the user points), values = dest - source;
* the polyharmonic flow is evaluated at every pixel; output(y, x) = bilinear(image, (y, x) - flow(y, x))
  with TFA's clamping (floor clamped to [0, size-2], fraction clamped to [0, 1]);
* phi on the squared distance r2 with EPS = 1e-10: order 1 sqrt(max(r2, EPS)),
  order 2 0.5 * r2 * log(max(r2, EPS)); system [[A, B], [B^T, 0]] with B = [points, 1].

On-disk format of a work directory (written by ``python3 workload.py --out DIR``), all little-endian,
C order, no headers inside the binary files:

* ``manifest.json``: {"cases": [case, ...]}; each case is also written alone as ``NAME.json``
  (flat JSON: name, workload, batch, height, width, channels, n, n_centers, orders, seed)
* ``NAME.image.f32``   float32 [batch, height, width, channels], values in [0, 1]
* ``NAME.src.f32``     float32 [batch, n, 2]  user source points (x, y)
* ``NAME.dst.f32``     float32 [batch, n, 2]  user dest points (x, y)
* ``NAME.centers.f32`` float32 [batch, n_centers, 2] dest points + boundary points (x, y)
* ``NAME.values.f32``  float32 [batch, n_centers, 2] (dst - src computed in float32, as TFA), 0 for boundary
* ``NAME.ref{order}.f64`` float64 [batch, height, width, channels]: ``reference_warp`` output

Importable: ``load_case``, ``reference_warp``, ``boundary_points_xy``, ``measure``, ``emit``.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# shared with the Java benchmarks (Workloads.faceTemplate)
TEMPLATE_CSV = os.path.join(
    HERE, "..", "src", "main", "resources", "io", "github", "facenorm", "benchmarks",
    "face68_template.csv")
EPS = 1e-10
NUM_BOUNDARY_POINTS = 2  # TFA argument: 4 corners + 1 per edge = 8 points

FACE_SIZE = 224
FACE_N = 68
FACE_BATCHES = (1, 8)
SCALE_SIZES = (64, 128, 224, 512)
SCALE_NS = (16, 68, 256, 1024)
QUICK_SCALE_SIZES = (64, 128)
QUICK_SCALE_NS = (16, 68, 256)
BASE_SEED = 20261124


# ----------------------------------------------------------------------------- generation

def load_template(path: str = TEMPLATE_CSV) -> np.ndarray:
    """iBUG-68 layout in the unit square, (x, y), shape (68, 2), float64."""
    t = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    assert t.shape == (68, 2), t.shape
    return t


def smooth_image(rng: np.random.Generator, h: int, w: int, c: int = 3) -> np.ndarray:
    """Smooth-ish random content in [0, 1]: a few random plane waves per channel + mild noise."""
    yy, xx = np.meshgrid(np.arange(h) / max(h - 1, 1), np.arange(w) / max(w - 1, 1), indexing="ij")
    img = np.zeros((h, w, c), np.float64)
    for ch in range(c):
        acc = np.zeros((h, w))
        for _ in range(6):
            fy, fx = rng.uniform(-6.0, 6.0, size=2)
            ph = rng.uniform(0, 2 * math.pi)
            acc += rng.uniform(0.3, 1.0) * np.sin(2 * math.pi * (fx * xx + fy * yy) + ph)
        acc += 0.15 * rng.standard_normal((h, w))
        lo, hi = acc.min(), acc.max()
        img[..., ch] = (acc - lo) / (hi - lo)
    return img.astype(np.float32)


def face_points(rng: np.random.Generator, h: int, w: int, template: np.ndarray) -> np.ndarray:
    """Template scaled so the face spans ~60 % of the image, centered, with +-1.5 px jitter. (x, y)."""
    sx, sy = 0.6 * (w - 1), 0.6 * (h - 1)
    ox, oy = 0.2 * (w - 1), 0.2 * (h - 1)
    p = np.stack([ox + sx * template[:, 0], oy + sy * template[:, 1]], axis=1)
    return p + rng.uniform(-1.5, 1.5, size=p.shape)


def grid_points(rng: np.random.Generator, h: int, w: int, n: int) -> np.ndarray:
    """Jittered g x g grid (n = g*g) inside [10 %, 90 %] of the image. (x, y)."""
    g = int(round(math.sqrt(n)))
    assert g * g == n, f"n={n} is not a square"
    xs = np.linspace(0.1 * (w - 1), 0.9 * (w - 1), g)
    ys = np.linspace(0.1 * (h - 1), 0.9 * (h - 1), g)
    cell_x = xs[1] - xs[0] if g > 1 else 0.2 * w
    cell_y = ys[1] - ys[0] if g > 1 else 0.2 * h
    yy, xx = np.meshgrid(ys, xs, indexing="ij")
    p = np.stack([xx.ravel(), yy.ravel()], axis=1)
    p[:, 0] += rng.uniform(-0.25, 0.25, size=n) * cell_x
    p[:, 1] += rng.uniform(-0.25, 0.25, size=n) * cell_y
    return p


def displace(rng: np.random.Generator, src: np.ndarray, min_sep_px: float = 2.0) -> np.ndarray:
    """dest = src + 3..8 px in a uniformly random direction.

    Rejection-sampled so that no two dest points come closer than min(min_sep_px, half the smallest
    source spacing): nearly coincident centers with different flows make the system ill-conditioned
    (flows of 40 px and float32 errors of 0.2), which is not what a face warp looks like."""
    n = len(src)
    ds = np.sqrt(((src[:, None, :] - src[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(ds, np.inf)
    sep = min(min_sep_px, 0.5 * float(ds.min())) if n > 1 else 0.0
    dst = np.empty_like(src)
    for i in range(n):
        best, best_d = None, -1.0
        for _ in range(200):
            d = rng.uniform(3.0, 8.0)
            a = rng.uniform(0.0, 2 * math.pi)
            cand = src[i] + (d * math.cos(a), d * math.sin(a))
            dmin = float(np.sqrt(((dst[:i] - cand) ** 2).sum(-1)).min()) if i else np.inf
            if dmin >= sep:
                best = cand
                break
            if dmin > best_d:
                best, best_d = cand, dmin
        dst[i] = best
    return dst


def boundary_points_xy(h: int, w: int, num_boundary_points: int = NUM_BOUNDARY_POINTS) -> np.ndarray:
    """TFA ``_get_boundary_locations(h, w, num_boundary_points - 1)``, converted to (x, y) order."""
    per_edge = num_boundary_points - 1
    y_range = np.linspace(0, h - 1, per_edge + 2)
    x_range = np.linspace(0, w - 1, per_edge + 2)
    ys, xs = np.meshgrid(y_range, x_range, indexing="ij")
    is_b = (xs == 0) | (xs == w - 1) | (ys == 0) | (ys == h - 1)
    return np.stack([xs[is_b], ys[is_b]], axis=-1)  # row-major over (y, x), like TFA


def centers_values_f32(src: np.ndarray, dst: np.ndarray, h: int, w: int):
    """float32 centers (dest + boundary) and values (dst - src in float32, zeros), as TFA builds them."""
    src = np.asarray(src, np.float32)
    dst = np.asarray(dst, np.float32)
    bnd = boundary_points_xy(h, w).astype(np.float32)
    centers = np.concatenate([dst, bnd], axis=0)
    values = np.concatenate([dst - src, np.zeros_like(bnd)], axis=0)
    return centers, values


def make_case(name: str, workload: str, batch: int, h: int, w: int, n: int, orders, seed: int):
    template = load_template()
    imgs, srcs, dsts = [], [], []
    for b in range(batch):
        rng = np.random.default_rng([seed, b])
        imgs.append(smooth_image(rng, h, w, 3))
        base = face_points(rng, h, w, template) if n == 68 else grid_points(rng, h, w, n)
        dst = displace(rng, base)
        srcs.append(base.astype(np.float32))
        dsts.append(dst.astype(np.float32))
    meta = dict(name=name, workload=workload, batch=batch, height=h, width=w, channels=3, n=n,
                n_centers=n + 4 * NUM_BOUNDARY_POINTS, orders=list(orders), seed=seed)
    return meta, np.stack(imgs), np.stack(srcs), np.stack(dsts)


def case_plan(quick: bool = False):
    """List of (name, workload, batch, h, w, n, orders, seed)."""
    plan = []
    # FACE-224: b1 is the first image of b8 (same seed, image index 0)
    for b in FACE_BATCHES:
        plan.append((f"face224_b{b}", "FACE-224", b, FACE_SIZE, FACE_SIZE, FACE_N, (1, 2), BASE_SEED))
    sizes = QUICK_SCALE_SIZES if quick else SCALE_SIZES
    ns = QUICK_SCALE_NS if quick else SCALE_NS
    for s in sizes:
        for n in ns:
            plan.append((f"scale_{s}_n{n}", "scale", 1, s, s, n, (2,), BASE_SEED + 1000 * s + n))
    return plan


def write_workdir(out: str, quick: bool = False, only=None, verbose: bool = True):
    os.makedirs(out, exist_ok=True)
    cases = []
    for (name, workload, batch, h, w, n, orders, seed) in case_plan(quick):
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        meta, img, src, dst = make_case(name, workload, batch, h, w, n, orders, seed)
        cen = np.empty((batch, meta["n_centers"], 2), np.float32)
        val = np.empty_like(cen)
        for b in range(batch):
            cen[b], val[b] = centers_values_f32(src[b], dst[b], h, w)
        base = os.path.join(out, name)
        img.astype("<f4").tofile(base + ".image.f32")
        src.astype("<f4").tofile(base + ".src.f32")
        dst.astype("<f4").tofile(base + ".dst.f32")
        cen.astype("<f4").tofile(base + ".centers.f32")
        val.astype("<f4").tofile(base + ".values.f32")
        for k in orders:
            ref = np.stack([reference_warp(img[b], src[b], dst[b], k) for b in range(batch)])
            ref.astype("<f8").tofile(base + f".ref{k}.f64")
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
            f.write("\n")
        cases.append(meta)
        if verbose:
            print(f"[workload] {name}: {batch}x{h}x{w}x3, n={n} (+8), orders {list(orders)} "
                  f"({time.perf_counter() - t0:.2f} s)", file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")
    return cases


def load_case(workdir: str, name: str) -> dict:
    """Returns meta + arrays: image (B,H,W,C) f32, src/dst (B,n,2) f32 (x,y), centers/values (B,N,2) f32."""
    with open(os.path.join(workdir, name + ".json")) as f:
        meta = json.load(f)
    B, H, W, C, n, N = (meta[k] for k in ("batch", "height", "width", "channels", "n", "n_centers"))
    base = os.path.join(workdir, name)
    rd = lambda suf, dt, shape: np.fromfile(base + suf, dtype=dt).reshape(shape)
    meta["image"] = rd(".image.f32", "<f4", (B, H, W, C)).astype(np.float32)
    meta["src"] = rd(".src.f32", "<f4", (B, n, 2)).astype(np.float32)
    meta["dst"] = rd(".dst.f32", "<f4", (B, n, 2)).astype(np.float32)
    meta["centers"] = rd(".centers.f32", "<f4", (B, N, 2)).astype(np.float32)
    meta["values"] = rd(".values.f32", "<f4", (B, N, 2)).astype(np.float32)
    return meta


def load_reference(workdir: str, case: dict, order: int) -> np.ndarray:
    p = os.path.join(workdir, f"{case['name']}.ref{order}.f64")
    shape = (case["batch"], case["height"], case["width"], case["channels"])
    if os.path.exists(p):
        return np.fromfile(p, dtype="<f8").reshape(shape)
    return np.stack([reference_warp(case["image"][b], case["src"][b], case["dst"][b], order)
                     for b in range(case["batch"])])


def list_cases(workdir: str):
    with open(os.path.join(workdir, "manifest.json")) as f:
        return [c["name"] for c in json.load(f)["cases"]]


# ----------------------------------------------------------------------------- float64 reference

def phi_np(r2: np.ndarray, order: int) -> np.ndarray:
    if order == 1:
        return np.sqrt(np.maximum(r2, EPS))
    if order == 2:
        return 0.5 * r2 * np.log(np.maximum(r2, EPS))
    raise ValueError(f"order {order} not supported")


def fit_f64(centers: np.ndarray, values: np.ndarray, order: int):
    """Solve [[A, B], [B^T, 0]] [w; v] = [f; 0] in float64 with direct differences. Returns (w (N,2), v (3,2))."""
    c = np.asarray(centers, np.float64)
    f = np.asarray(values, np.float64)
    n = len(c)
    d = c[:, None, :] - c[None, :, :]
    a = phi_np((d * d).sum(-1), order)
    bm = np.concatenate([c, np.ones((n, 1))], axis=1)
    lhs = np.zeros((n + 3, n + 3))
    lhs[:n, :n] = a
    lhs[:n, n:] = bm
    lhs[n:, :n] = bm.T
    rhs = np.zeros((n + 3, 2))
    rhs[:n] = f
    wv = np.linalg.solve(lhs, rhs)
    return wv[:n], wv[n:]


def flow_f64(h: int, w: int, centers, wts, v, order: int, rows_per_chunk: int = 0) -> np.ndarray:
    """Dense flow (H, W, 2) in (dx, dy) order, float64, direct differences, chunked over rows."""
    c = np.asarray(centers, np.float64)
    n = len(c)
    if rows_per_chunk <= 0:
        rows_per_chunk = max(1, int(4_000_000 // max(1, w * n)))
    xs = np.arange(w, dtype=np.float64)
    out = np.empty((h, w, 2))
    for y0 in range(0, h, rows_per_chunk):
        y1 = min(h, y0 + rows_per_chunk)
        ys = np.arange(y0, y1, dtype=np.float64)
        dx = xs[None, :, None] - c[None, None, :, 0]           # (1, W, N)
        dy = ys[:, None, None] - c[None, None, :, 1]           # (R, 1, N)
        p = phi_np(dx * dx + dy * dy, order)                   # (R, W, N)
        fl = p @ wts                                           # (R, W, 2)
        fl += xs[None, :, None] * v[0] + ys[:, None, None] * v[1] + v[2]
        out[y0:y1] = fl
    return out


def bilinear_tfa(image: np.ndarray, qy: np.ndarray, qx: np.ndarray) -> np.ndarray:
    """TFA interpolate_bilinear (indexing 'ij') for one image (H, W, C) at query arrays of any shape."""
    h, w = image.shape[:2]
    img = np.asarray(image, np.float64)
    fy = np.minimum(np.maximum(0.0, np.floor(qy)), h - 2)
    fx = np.minimum(np.maximum(0.0, np.floor(qx)), w - 2)
    ay = np.clip(qy - fy, 0.0, 1.0)[..., None]
    ax = np.clip(qx - fx, 0.0, 1.0)[..., None]
    iy = fy.astype(np.int64)
    ix = fx.astype(np.int64)
    tl = img[iy, ix]
    tr = img[iy, ix + 1]
    bl = img[iy + 1, ix]
    br = img[iy + 1, ix + 1]
    top = ax * (tr - tl) + tl
    bot = ax * (br - bl) + bl
    return ay * (bot - top) + top


def reference_warp(image, src_xy, dst_xy, order: int, num_boundary_points: int = NUM_BOUNDARY_POINTS,
                   return_flow: bool = False):
    """float64 TFA sparse_image_warp of one image (H, W, C); points (n, 2) in (x, y) order."""
    image = np.asarray(image)
    h, w = image.shape[:2]
    src = np.asarray(src_xy, np.float64)
    dst = np.asarray(dst_xy, np.float64)
    bnd = boundary_points_xy(h, w, num_boundary_points)
    centers = np.concatenate([dst, bnd])
    values = np.concatenate([dst - src, np.zeros_like(bnd)])
    wts, v = fit_f64(centers, values, order)
    fl = flow_f64(h, w, centers, wts, v, order)
    yy, xx = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    out = bilinear_tfa(image, yy - fl[..., 1], xx - fl[..., 0])
    return (out, fl) if return_flow else out


def max_err(out, ref) -> float:
    return float(np.max(np.abs(np.asarray(out, np.float64) - np.asarray(ref, np.float64))))


# ----------------------------------------------------------------------------- timing helpers

def measure(fn, warmup: int = 2, min_reps: int = 5, max_reps: int = 200, budget_s: float = 2.0):
    """Run fn() warmup times, then r timed reps (r from the budget, clamped to [min_reps, max_reps]).

    Returns (times_s list, last result)."""
    res = None
    t_w = None
    for _ in range(max(0, warmup)):
        t0 = time.perf_counter()
        res = fn()
        t_w = time.perf_counter() - t0
    if t_w is None:
        reps = min_reps
    else:
        reps = int(min(max_reps, max(min_reps, math.ceil(budget_s / max(t_w, 1e-6)))))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    return times, res


def record(peer, variant, case, order, threads, pass_, times_s, err, batch=None, **extra):
    b = case["batch"] if batch is None else batch
    ms = [t * 1e3 / b for t in times_s]
    rec = {"peer": peer, "variant": variant, "workload": case["workload"], "height": case["height"],
           "width": case["width"], "n": case["n"], "order": order, "batch": b, "threads": threads,
           "pass": pass_, "median_ms_per_image": round(statistics.median(ms), 4),
           "min_ms_per_image": round(min(ms), 4), "max_ms_per_image": round(max(ms), 4),
           "reps": len(ms), "max_err": (None if err is None or not math.isfinite(err) else float(f"{err:.3e}"))}
    rec.update(extra)
    try:
        with open("/proc/loadavg") as f:
            rec["load1"] = float(f.read().split()[0])  # 1-min load average: a hint of competing work
    except OSError:
        pass
    return rec


def emit(rec: dict, stream=None):
    stream = stream or sys.stdout
    stream.write(json.dumps(rec) + "\n")
    stream.flush()


def add_timing_args(ap: argparse.ArgumentParser):
    ap.add_argument("--workdir", required=True, help="directory written by workload.py --out")
    ap.add_argument("--cases", default="", help="comma-separated case names (default: all in manifest)")
    ap.add_argument("--orders", default="", help="comma-separated orders (default: the case's orders)")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--min-reps", type=int, default=5)
    ap.add_argument("--max-reps", type=int, default=200)
    ap.add_argument("--budget", type=float, default=2.0, help="target seconds of timed reps per measurement")


def selected(args):
    """Yields (case dict, order) for the CLI selection."""
    names = [c for c in args.cases.split(",") if c] or list_cases(args.workdir)
    orders = [int(k) for k in args.orders.split(",") if k]
    for name in names:
        case = load_case(args.workdir, name)
        for k in (orders or case["orders"]):
            if k in case["orders"] or os.path.exists(os.path.join(args.workdir, f"{name}.ref{k}.f64")):
                yield case, k


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="write the workloads (binary files + manifest.json) into this directory")
    ap.add_argument("--quick", action="store_true", help="small scale series (64^2, 128^2 x n = 16, 68, 256)")
    ap.add_argument("--cases", default="", help="only these case names (comma-separated)")
    ap.add_argument("--list", action="store_true", help="print the case plan and exit")
    args = ap.parse_args()
    if args.list or not args.out:
        for p in case_plan(args.quick):
            print(*p)
        return
    only = set(c for c in args.cases.split(",") if c) or None
    write_workdir(args.out, args.quick, only)


if __name__ == "__main__":
    main()
