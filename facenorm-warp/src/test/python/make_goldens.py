#!/usr/bin/env python3
"""Golden-file generator for the facenorm-warp Java tests.

This is an INDEPENDENT float64 numpy re-implementation of the numerics of
TensorFlow Addons' ``tfa.image.interpolate_spline``, ``tfa.image.sparse_image_warp``
and ``tfa.image.dense_image_warp`` (including ``interpolate_bilinear`` with
indexing='ij').  It is NOT TensorFlow Addons itself and does not import it; it
follows TFA's algorithm step by step (same phi / EPSILON clamping, same
regularisation rule, same [[A, B], [B^T, 0]] linear system, same boundary-point
layout and bilinear clamping) so that its output can serve as the reference
for the Java port.

Run (from anywhere; needs python3 + numpy + scipy, mpmath optional):

    python3 facenorm-warp/src/test/python/make_goldens.py

It writes, next to this module's sibling ``resources`` tree,

    facenorm-warp/src/test/resources/goldens/interpolate.json
    facenorm-warp/src/test/resources/goldens/sparse_warp.json
    facenorm-warp/src/test/resources/goldens/dense_warp.json

as compact JSON lists of cases (field names documented in each writer below).
All randomness is seeded, so re-running yields byte-identical files.  Inputs
(coordinates, values, pixels) are rounded to a few decimals to keep the files
small; the rounded values ARE the inputs (written exactly as the doubles used),
and every expected output is written with full float64 (repr) precision.

Before writing, the script runs independent cross-checks and asserts on them:
  * interpolate_spline (and the dense flow of sparse_image_warp) vs
    scipy.interpolate.RBFInterpolator for orders 1-3 (degree=1);
  * interpolate_spline vs a high-precision (mpmath) solve of the same system,
    which also bounds the float64 rounding error baked into the goldens;
  * bilinear sampling vs scipy.ndimage.map_coordinates(order=1, mode='nearest');
  * exact interpolation at the centres when lambda == 0, and non-exact when
    lambda > 0;
  * pure-translation sparse warps give a constant dense flow.
Set GOLDEN_DEBUG=1 to also print the condition number of each interpolate system.
"""

import json
import os
import sys

import numpy as np
import scipy.interpolate
import scipy.ndimage

EPS = 1e-10  # TFA's EPSILON in interpolate_spline.py

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "resources", "goldens"))


# --------------------------------------------------------------------------
# TFA re-implementation (float64)
# --------------------------------------------------------------------------

def phi(r2, order):
    """TFA's _phi, applied to SQUARED distances r2."""
    r2 = np.asarray(r2, dtype=np.float64)
    if order == 1:
        return np.sqrt(np.maximum(r2, EPS))
    if order == 2:
        return 0.5 * r2 * np.log(np.maximum(r2, EPS))
    if order == 4:
        return 0.5 * np.square(r2) * np.log(np.maximum(r2, EPS))
    if order % 2 == 0:
        r = np.maximum(r2, EPS)
        return 0.5 * np.power(r, 0.5 * order) * np.log(r)
    r = np.maximum(r2, EPS)
    return np.power(r, 0.5 * order)


def sq_dists(x, y):
    """[b,m,d] x [b,n,d] -> [b,m,n] squared distances.

    Computed as direct differences sum((x - y)^2), NOT TFA's
    |x|^2 - 2 x.y + |y|^2 expansion (more accurate, exactly 0 on the diagonal).
    """
    diff = x[:, :, None, :] - y[:, None, :, :]
    return np.sum(diff * diff, axis=-1)


def solve_interpolation(c, f, order, reg):
    """Returns (w [b,n,k], v [b,d+1,k]) exactly like TFA's _solve_interpolation."""
    b, n, d = c.shape
    k = f.shape[2]
    a = phi(sq_dists(c, c), order)
    if reg > 0:
        a = a + reg * np.eye(n)[None]
    bm = np.concatenate([c, np.ones((b, n, 1))], axis=2)
    lhs = np.zeros((b, n + d + 1, n + d + 1))
    lhs[:, :n, :n] = a
    lhs[:, :n, n:] = bm
    lhs[:, n:, :n] = np.transpose(bm, (0, 2, 1))
    rhs = np.concatenate([f, np.zeros((b, d + 1, k))], axis=1)
    x = np.linalg.solve(lhs, rhs)
    return x[:, :n, :], x[:, n:, :], lhs, rhs


def apply_interpolation(q, c, w, v, order):
    rbf = np.matmul(phi(sq_dists(q, c), order), w)
    qpad = np.concatenate([q, np.ones(q.shape[:2] + (1,))], axis=2)
    return rbf + np.matmul(qpad, v)


def interpolate_spline(c, f, q, order, reg):
    c, f, q = (np.asarray(a, dtype=np.float64) for a in (c, f, q))
    w, v, _, _ = solve_interpolation(c, f, order, reg)
    return apply_interpolation(q, c, w, v, order)


def interpolate_bilinear(grid, query):
    """TFA interpolate_bilinear, indexing='ij'. grid [b,h,w,c], query [b,m,2]."""
    b, h, wd, ch = grid.shape
    assert h >= 2 and wd >= 2
    floors, alphas = [], []
    for dim, size in ((0, h), (1, wd)):
        qd = query[:, :, dim]
        fl = np.minimum(np.maximum(0.0, np.floor(qd)), size - 2.0)
        alphas.append(np.clip(qd - fl, 0.0, 1.0)[..., None])
        floors.append(fl.astype(np.int64))
    fy, fx = floors
    ay, ax = alphas
    bi = np.arange(b)[:, None]
    tl = grid[bi, fy, fx]
    tr = grid[bi, fy, fx + 1]
    bl = grid[bi, fy + 1, fx]
    br = grid[bi, fy + 1, fx + 1]
    top = ax * (tr - tl) + tl
    bottom = ax * (br - bl) + bl
    return ay * (bottom - top) + top


def grid_locations(h, w):
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64),
                         np.arange(w, dtype=np.float64), indexing="ij")
    return np.stack([ys, xs], axis=-1)  # [h,w,2] (y,x)


def dense_image_warp(image, flow):
    b, h, w, ch = image.shape
    query = (grid_locations(h, w)[None] - flow).reshape(b, h * w, 2)
    return interpolate_bilinear(image, query).reshape(b, h, w, ch)


def boundary_locations(h, w, per_edge):
    """TFA _get_boundary_locations(h, w, num_points_per_edge)."""
    y_range = np.linspace(0, h - 1, per_edge + 2)
    x_range = np.linspace(0, w - 1, per_edge + 2)
    ys, xs = np.meshgrid(y_range, x_range, indexing="ij")
    is_b = (xs == 0) | (xs == w - 1) | (ys == 0) | (ys == h - 1)
    return np.stack([ys[is_b], xs[is_b]], axis=-1)


def spline_centers(dest, h, w, p):
    """dest [b,n,2] -> spline centres [b,n(+4p),2]: TFA appends the boundary points after dest."""
    if p <= 0:
        return dest
    bd = boundary_locations(h, w, p - 1)
    bd = np.broadcast_to(bd[None], (dest.shape[0],) + bd.shape)
    return np.concatenate([dest, bd], axis=1)


def sparse_image_warp(image, source, dest, order, reg, p):
    image, source, dest = (np.asarray(a, dtype=np.float64) for a in (image, source, dest))
    b, h, w, ch = image.shape
    flows = dest - source
    centers = spline_centers(dest, h, w, p)
    if p > 0:
        flows = np.concatenate(
            [flows, np.zeros((b, centers.shape[1] - dest.shape[1], 2))], axis=1)
    q = np.broadcast_to(grid_locations(h, w).reshape(1, h * w, 2), (b, h * w, 2))
    dense = interpolate_spline(centers, flows, q, order, reg).reshape(b, h, w, 2)
    return dense_image_warp(image, dense), dense


# --------------------------------------------------------------------------
# Independent cross-checks
# --------------------------------------------------------------------------

SCIPY_KERNEL = {1: "linear", 2: "thin_plate_spline", 3: "cubic"}
STATS = {"rbf_max_rel": 0.0, "rbf_n": 0, "mp_max_rel": 0.0, "mp_n": 0,
         "bilin_max_abs": 0.0, "bilin_n": 0, "exact_max_rel": 0.0,
         "exact_n": 0, "reg_min_rel": np.inf, "reg_n": 0, "trans_max_abs": 0.0,
         "trans_n": 0}


def scipy_rbf(c, f, q, order, reg):
    """Same interpolant via scipy (orders 1-3), per batch element.

    scipy's 'linear' kernel is -r with phi(0) = 0, while TFA's order-1 phi(0)
    is sqrt(EPS) = 1e-5 (a 1e-5 ridge on A's diagonal).  Negating the kernel
    gives the same interpolant, so the TFA system corresponds to scipy's
    with smoothing = -(reg + 1e-5); order 2 ('thin_plate_spline' = r^2 log r =
    0.5 r2 log r2) and order 3 ('cubic' = r^3) correspond to smoothing = reg
    (TFA's order-3 diagonal is 1e-15, negligible).  For order 1 the query-side
    phi(0) still differs, so callers skip queries that coincide with centres.
    """
    if order == 1:
        smoothing = -(reg + np.sqrt(EPS))
    else:
        smoothing = reg
    out = []
    for bi in range(c.shape[0]):
        rbf = scipy.interpolate.RBFInterpolator(
            c[bi], f[bi], kernel=SCIPY_KERNEL[order], degree=1, smoothing=smoothing)
        out.append(rbf(q[bi]))
    return np.stack(out)


def check_vs_scipy(c, f, q, order, reg, got, name, tol=1e-8):
    if order not in SCIPY_KERNEL:
        return
    ref = scipy_rbf(c, f, q, order, reg)
    mask = np.ones(q.shape[:2], dtype=bool)
    if order == 1:
        mask = np.min(sq_dists(q, c), axis=2) > 1e-6
    scale = max(np.max(np.abs(ref)), np.max(np.abs(f)))
    err = np.max(np.abs(ref - got)[mask]) / scale if mask.any() else 0.0
    assert err < tol, (name, "scipy RBF", err)
    STATS["rbf_max_rel"] = max(STATS["rbf_max_rel"], err)
    STATS["rbf_n"] += 1


def check_vs_mpmath(c, f, q, order, reg, got, name, tol=1e-7):
    try:
        import mpmath
    except ImportError:
        return
    mp = mpmath.mp
    mp.dps = 40
    b, n, d = c.shape
    k = f.shape[2]
    eps = mp.mpf(EPS)

    def mphi(r2):
        if order == 1:
            return mp.sqrt(max(r2, eps))
        if order % 2 == 0:
            return mp.mpf(0.5) * r2 ** (order // 2) * mp.log(max(r2, eps))
        return max(r2, eps) ** (mp.mpf(order) / 2)

    def msq(a, bb):
        return mp.fsum((mp.mpf(x) - mp.mpf(y)) ** 2 for x, y in zip(a, bb))

    worst = 0.0
    for bi in range(b):
        cc = c[bi].tolist()
        lhs = mp.zeros(n + d + 1, n + d + 1)
        for i in range(n):
            for j in range(n):
                lhs[i, j] = mphi(msq(cc[i], cc[j]))
            if reg > 0:
                lhs[i, i] += mp.mpf(reg)
            for j in range(d):
                lhs[i, n + j] = lhs[n + j, i] = mp.mpf(cc[i][j])
            lhs[i, n + d] = lhs[n + d, i] = 1
        cols = []
        for kk in range(k):
            rhs = mp.matrix([mp.mpf(x) for x in f[bi, :, kk]] + [0] * (d + 1))
            cols.append(mp.lu_solve(lhs, rhs))
        qq = q[bi].tolist()
        for mi in range(q.shape[1]):
            ph = [mphi(msq(qq[mi], cc[j])) for j in range(n)]
            for kk in range(k):
                x = cols[kk]
                val = mp.fsum(ph[j] * x[j] for j in range(n))
                val += mp.fsum(mp.mpf(qq[mi][j]) * x[n + j] for j in range(d)) + x[n + d]
                worst = max(worst, abs(float(val) - got[bi, mi, kk]))
    scale = max(np.max(np.abs(got)), np.max(np.abs(f)))
    err = worst / scale
    assert err < tol, (name, "mpmath", err)
    STATS["mp_max_rel"] = max(STATS["mp_max_rel"], err)
    STATS["mp_n"] += 1


def check_bilinear_vs_scipy(image, flow, got, name):
    b, h, w, ch = image.shape
    q = grid_locations(h, w)[None] - flow
    worst = 0.0
    for bi in range(b):
        for ci in range(ch):
            ref = scipy.ndimage.map_coordinates(
                image[bi, :, :, ci], [q[bi, :, :, 0], q[bi, :, :, 1]],
                order=1, mode="nearest")
            worst = max(worst, np.max(np.abs(ref - got[bi, :, :, ci])))
    assert worst < 1e-12, (name, "map_coordinates", worst)
    STATS["bilin_max_abs"] = max(STATS["bilin_max_abs"], worst)
    STATS["bilin_n"] += 1


def check_centres(c, f, order, reg, name, affine_data=False):
    """lambda == 0 must reproduce the values at the centres; lambda > 0 must not.

    The lambda > 0 check is skipped when the data are reproduced by the affine
    part alone (n == d + 1 points, or affine/constant values as in the
    translation cases): then w == 0 and the ridge has no effect.
    """
    if reg > 0 and (affine_data or c.shape[1] <= c.shape[2] + 1):
        return
    at = interpolate_spline(c, f, c, order, reg)
    rel = np.max(np.abs(at - f)) / max(np.max(np.abs(f)), 1e-300)
    if reg == 0:
        assert rel < 1e-8, (name, "not exact at centres", rel)
        STATS["exact_max_rel"] = max(STATS["exact_max_rel"], rel)
        STATS["exact_n"] += 1
    else:
        assert rel > 1e-6, (name, "regularised spline interpolates exactly", rel)
        STATS["reg_min_rel"] = min(STATS["reg_min_rel"], rel)
        STATS["reg_n"] += 1


# --------------------------------------------------------------------------
# Case generation
# --------------------------------------------------------------------------

def rnd(a, decimals):
    a = np.round(np.asarray(a, dtype=np.float64), decimals)
    return a + 0.0  # normalise -0.0 to 0.0


def min_pair_dist(pts):
    d2 = np.sum((pts[:, None, :] - pts[None, :, :]) ** 2, axis=-1)
    np.fill_diagonal(d2, np.inf)
    return np.sqrt(np.min(d2)) if len(pts) > 1 else np.inf


def sample_distinct(rng, n, lo, hi, min_dist, decimals):
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    for _ in range(1000):
        pts = rnd(lo + rng.random((n, lo.size)) * (hi - lo), decimals)
        if min_pair_dist(pts) >= min_dist:
            return pts
    raise RuntimeError("could not sample distinct points")


# (label, unused, batch, n, scale) -- six configurations per (order, lambda) pair;
# the d / k / batch choices are rotated per order so the grid is covered
# without taking the full product.
INTERP_CONFIGS = [
    ("min", None, None, None, "unit"),   # n = d + 1
    ("small", None, None, 4, "unit"),
    ("small", None, None, 7, "pixel"),
    ("medium", None, 3, 20, "unit"),
    ("medium", None, None, 30, "pixel"),
    ("large", None, None, 80, "unit"),
]


def make_interpolate_cases():
    cases = []
    seed = 1000
    for order in (1, 2, 3, 4):
        for reg in (0.0, 0.05):
            for ci, (label, _, batch, n, scale) in enumerate(INTERP_CONFIGS):
                seed += 1
                rng = np.random.default_rng(seed)
                d = 1 + (ci + order) % 3
                k = 1 + (ci + 2 * order + (reg > 0)) % 3
                if batch is None:
                    batch = 3 if (ci + order) % 4 == 0 else 1
                if label == "large":
                    batch = 1
                if n is None:
                    n = d + 1
                if d == 1 and label == "large":
                    n = 20
                # lambda > 0 must visibly smooth: keep high-order kernels at
                # unit scale so that phi does not swamp lambda.
                if reg > 0 and order >= 3:
                    scale = "unit"
                lo, hi, vs, dec = ((0.0, 200.0, 5.0, 3) if scale == "pixel"
                                   else (0.0, 1.0, 1.0, 6))
                min_dist = (hi - lo) * 0.1 / n ** (2.0 / d)
                m = int(rng.integers(10, 26))
                if d == 1:  # stratified so that 1-D centres are never nearly coincident
                    c = np.stack([rnd(lo + (hi - lo) * (rng.permutation(n) + rng.uniform(
                        0.15, 0.85, n))[:, None] / n, dec) for _ in range(batch)])
                else:
                    c = np.stack([sample_distinct(rng, n, [lo] * d, [hi] * d,
                                                  min_dist, dec) for _ in range(batch)])
                f = rnd(rng.normal(0.0, vs, (batch, n, k)), dec)
                n_at = min(3, n)
                n_out = 4
                q = np.empty((batch, m, d))
                for bi in range(batch):
                    idx = rng.choice(n, n_at, replace=False)
                    q[bi, :n_at] = c[bi, idx]
                    span = hi - lo
                    out = lo + rng.random((n_out, d)) * span
                    side = rng.integers(0, d, n_out)
                    for oi in range(n_out):
                        out[oi, side[oi]] = (lo - 0.1 * span - 0.3 * span * rng.random()
                                             if rng.random() < 0.5 else
                                             hi + 0.1 * span + 0.3 * span * rng.random())
                    q[bi, n_at:n_at + n_out] = out
                    q[bi, n_at + n_out:] = lo + rng.random((m - n_at - n_out, d)) * span
                    q[bi] = q[bi, rng.permutation(m)]
                q = rnd(q, dec)
                name = f"interp_o{order}_l{reg:g}_{label}_d{d}_k{k}_b{batch}_n{n}_{scale}"
                exp = interpolate_spline(c, f, q, order, reg)
                if os.environ.get("GOLDEN_DEBUG"):
                    lhs = solve_interpolation(c, f, order, reg)[2]
                    print(name, "cond %.1e" % max(np.linalg.cond(x) for x in lhs))
                check_centres(c, f, order, reg, name)
                check_vs_scipy(c, f, q, order, reg, exp, name)
                check_vs_mpmath(c, f, q, order, reg, exp, name)
                cases.append({"name": name, "order": order, "regularization": reg,
                              "centers": c.tolist(), "values": f.tolist(),
                              "queries": q.tolist(), "expected": exp.tolist()})
    return cases


SPARSE_SHAPES = [(9, 13), (16, 11), (12, 7), (20, 28)]


def sample_sparse_points(rng, b, n, h, w, p, max_disp, decimals=3):
    """dest points distinct from each other and from the boundary points (>= 1 px),
    sources = dest - flow inside the image; flow components +-[0.5, max_disp]."""
    bd = boundary_locations(h, w, p - 1) if p > 0 else np.zeros((0, 2))
    srcs, dsts = [], []
    for _ in range(b):
        taken = [tuple(x) for x in bd]
        src, dst = [], []
        while len(dst) < n:
            for _attempt in range(10000):
                dy, dx = rnd(rng.random(2) * [h - 1.0, w - 1.0], decimals)
                mag = 0.5 + rng.random(2) * (max_disp - 0.5)
                sign = np.where(rng.random(2) < 0.5, -1.0, 1.0)
                sy, sx = rnd(np.array([dy, dx]) - sign * mag, decimals)
                if not (0 <= sy <= h - 1 and 0 <= sx <= w - 1):
                    continue
                if taken and np.min(np.hypot(*(np.array(taken) - [dy, dx]).T)) < 1.0:
                    continue
                break
            else:
                raise RuntimeError("could not sample sparse points")
            taken.append((dy, dx))
            dst.append((dy, dx))
            src.append((sy, sx))
        srcs.append(np.array(src))
        dsts.append(np.array(dst))
    return np.stack(srcs), np.stack(dsts)


def sparse_case(name, order, reg, p, image, src, dst, translation=False):
    warped, flow = sparse_image_warp(image, src, dst, order, reg, p)
    b, h, w, _ = image.shape
    # cross-check the dense flow against scipy's RBF on the same centres
    centers = spline_centers(dst, h, w, p)
    flows = dst - src
    if p > 0:
        flows = np.concatenate([flows, np.zeros((b, centers.shape[1] - flows.shape[1], 2))], 1)
    q = np.broadcast_to(grid_locations(h, w).reshape(1, h * w, 2), (b, h * w, 2))
    check_vs_scipy(centers, flows, q, order, reg, flow.reshape(b, h * w, 2), name)
    if order not in SCIPY_KERNEL:  # no scipy kernel: high-precision check on a pixel subset
        sub = np.arange(0, h * w, max(1, (h * w) // 25))
        check_vs_mpmath(centers, flows, q[:, sub], order, reg,
                        flow.reshape(b, h * w, 2)[:, sub], name)
    check_centres(centers, flows, order, reg, name, affine_data=translation)
    check_bilinear_vs_scipy(image, flow, warped, name)
    return {"name": name, "order": order, "regularization": reg, "boundaryPoints": p,
            "image": image.tolist(), "source": src.tolist(), "dest": dst.tolist(),
            "expectedImage": warped.tolist(), "expectedFlow": flow.tolist()}


def make_sparse_cases():
    cases = []
    seed = 2000
    ci = 0
    for order in (1, 2, 3, 4):
        for reg in (0.0, 0.25):
            for p in (0, 1, 2, 3):
                seed += 1
                rng = np.random.default_rng(seed)
                h, w = SPARSE_SHAPES[(ci + order) % len(SPARSE_SHAPES)]
                big = h * w > 300
                ch = 3 if (ci % 3 == 1) and not big else 1
                b = 3 if (ci % 5 == 2) and not big else 1
                if b == 3 and ch == 3:
                    ch = 1
                nmax = {117: 14, 176: 18, 84: 9, 560: 40}[h * w]
                n = 3 if ci % 7 == 0 else int(rng.integers(4, nmax + 1))
                max_disp = (1.5, 2.5, 4.0)[ci % 3]
                src, dst = sample_sparse_points(rng, b, n, h, w, p, max_disp)
                image = rnd(rng.random((b, h, w, ch)), 6)
                name = f"sparse_o{order}_l{reg:g}_p{p}_b{b}_{h}x{w}x{ch}_n{n}"
                cases.append(sparse_case(name, order, reg, p, image, src, dst))
                ci += 1
    # one batch-3, 3-channel case
    rng = np.random.default_rng(2900)
    src, dst = sample_sparse_points(rng, 3, 10, 16, 11, 2, 3.0)
    image = rnd(rng.random((3, 16, 11, 3)), 6)
    cases.append(sparse_case("sparse_o2_l0_p2_b3_16x11x3_n10", 2, 0.0, 2, image, src, dst))
    # pure translations: constant flow everywhere, no boundary points
    for ti, (name, order, reg, (h, w), b, ch, t) in enumerate((
            ("sparse_translation_o2_l0_b1_16x11x3", 2, 0.0, (16, 11), 1, 3, (1.75, -2.5)),
            ("sparse_translation_o3_l0.25_b3_9x13x1", 3, 0.25, (9, 13), 3, 1, (-0.75, 3.25)))):
        rng = np.random.default_rng(3000 + ti)
        t = np.array(t)
        dst = np.stack([sample_distinct(rng, 6, [max(0, t[0]), max(0, t[1])],
                                        [h - 1 + min(0, t[0]), w - 1 + min(0, t[1])],
                                        1.0, 3) for _ in range(b)])
        src = rnd(dst - t, 3)
        assert np.allclose(dst - src, t, rtol=0, atol=1e-12)
        image = rnd(rng.random((b, h, w, ch)), 6)
        case = sparse_case(name, order, reg, 0, image, src, dst, translation=True)
        flow = np.asarray(case["expectedFlow"])
        err = np.max(np.abs(flow - t))
        assert err < 1e-9, (name, "translation flow not constant", err)
        STATS["trans_max_abs"] = max(STATS["trans_max_abs"], err)
        STATS["trans_n"] += 1
        cases.append(case)
    return cases


def make_dense_cases():
    cases = []
    specs = [
        # name, (h, w), b, ch, flow kind
        ("dense_small_b1_7x10x1", (7, 10), 1, 1, "small"),
        ("dense_small_b3_9x5x3", (9, 5), 3, 3, "small"),
        ("dense_outside_b1_8x12x3", (8, 12), 1, 3, "outside"),
        ("dense_outside_b3_11x6x1", (11, 6), 3, 1, "outside"),
        ("dense_integer_b1_10x7x3", (10, 7), 1, 3, "integer"),
        ("dense_integer_b3_6x9x1", (6, 9), 3, 1, "integer"),
        ("dense_mixed_b1_13x9x1", (13, 9), 1, 1, "mixed"),
        ("dense_tiny_b1_2x3x3", (2, 3), 1, 3, "outside"),
    ]
    for si, (name, (h, w), b, ch, kind) in enumerate(specs):
        rng = np.random.default_rng(4000 + si)
        image = rnd(rng.random((b, h, w, ch)), 6)
        if kind == "small":
            flow = rnd(rng.uniform(-2.0, 2.0, (b, h, w, 2)), 4)
        elif kind == "outside":
            flow = rnd(rng.uniform(-1.0, 1.0, (b, h, w, 2)) * np.array([h, w]) * 1.5, 4)
        elif kind == "integer":
            flow = rng.integers(-3, 4, (b, h, w, 2)).astype(np.float64)
        else:  # mixed: integers, half-integers, zeros, fractional, far outside
            choice = rng.integers(0, 5, (b, h, w, 2))
            flow = np.select(
                [choice == 0, choice == 1, choice == 2, choice == 3],
                [np.zeros((b, h, w, 2)),
                 rng.integers(-4, 5, (b, h, w, 2)) + 0.5,
                 rng.integers(-2, 3, (b, h, w, 2)).astype(float),
                 rnd(rng.uniform(-20, 20, (b, h, w, 2)), 4)],
                rnd(rng.uniform(-3, 3, (b, h, w, 2)), 4))
        flow = flow + 0.0
        exp = dense_image_warp(image, flow)
        check_bilinear_vs_scipy(image, flow, exp, name)
        cases.append({"name": name, "image": image.tolist(), "flow": flow.tolist(),
                      "expected": exp.tolist()})
    return cases


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    files = {
        "interpolate.json": make_interpolate_cases(),
        "sparse_warp.json": make_sparse_cases(),
        "dense_warp.json": make_dense_cases(),
    }
    for fname, cases in files.items():
        text = json.dumps(cases, separators=(",", ":"), allow_nan=False)
        with open(os.path.join(OUT_DIR, fname), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.write("\n")
        print(f"wrote {fname}: {len(cases)} cases, {len(text) + 1} bytes")
    s = STATS
    print(f"cross-checks OK: scipy RBF max rel err {s['rbf_max_rel']:.2e} ({s['rbf_n']} cases); "
          f"mpmath max rel err {s['mp_max_rel']:.2e} ({s['mp_n']}); "
          f"map_coordinates max abs err {s['bilin_max_abs']:.2e} ({s['bilin_n']}); "
          f"lambda=0 centre residual max rel {s['exact_max_rel']:.2e} ({s['exact_n']}); "
          f"lambda>0 centre residual min rel {s['reg_min_rel']:.2e} ({s['reg_n']}); "
          f"translation flow max abs err {s['trans_max_abs']:.2e} ({s['trans_n']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
