#!/usr/bin/env python3
"""PyTorch (CPU) op-for-op port of TensorFlow Addons' sparse_image_warp.

Ported functions (same names and formulas as tensorflow_addons/image/*.py):
``_cross_squared_distance_matrix`` (|x|^2 - 2 x.y + |y|^2), ``_pairwise_squared_distance_matrix``
(diag(x x^T) trick), ``_phi``, ``_solve_interpolation`` (block system + ``torch.linalg.solve``),
``_apply_interpolation``, ``interpolate_spline``, ``interpolate_bilinear`` (gather-based, TFA clamping),
``dense_image_warp``, ``sparse_image_warp``. Points are in TFA's (y, x) order here; the workload files
hold (x, y), which the driver swaps outside the timed region.

Only the constant grids that TFA builds with numpy at trace time are cached per (H, W, B)
(in a tf.function they are graph constants).

Modes: forward under ``torch.no_grad()``; forward+backward with gradients w.r.t. image, source and
dest points (loss = sum(output * fixed random weights)). ``--check`` compares the forward with the
float64 numpy reference and checks autograd against central finite differences in float64.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workload as wl  # noqa: E402

import torch  # noqa: E402

EPSILON = 0.0000000001


# ----------------------------------------------------------------------------- interpolate_spline

def _cross_squared_distance_matrix(x, y):
    x_norm_squared = torch.sum(torch.square(x), 2)
    y_norm_squared = torch.sum(torch.square(y), 2)
    x_norm_squared_tile = torch.unsqueeze(x_norm_squared, 2)
    y_norm_squared_tile = torch.unsqueeze(y_norm_squared, 1)
    x_y_transpose = torch.matmul(x, torch.transpose(y, 1, 2))
    squared_dists = x_norm_squared_tile - 2 * x_y_transpose + y_norm_squared_tile
    return squared_dists


def _pairwise_squared_distance_matrix(x):
    x_x_transpose = torch.matmul(x, torch.transpose(x, 1, 2))
    x_norm_squared = torch.diagonal(x_x_transpose, dim1=1, dim2=2)
    x_norm_squared_tile = torch.unsqueeze(x_norm_squared, 2)
    squared_dists = (x_norm_squared_tile - 2 * x_x_transpose
                     + torch.transpose(x_norm_squared_tile, 1, 2))
    return squared_dists


def _phi(r, order):
    if order == 1:
        r = torch.clamp_min(r, EPSILON)  # tf.maximum(r, EPSILON)
        r = torch.sqrt(r)
        return r
    elif order == 2:
        return 0.5 * r * torch.log(torch.clamp_min(r, EPSILON))
    elif order == 4:
        return 0.5 * torch.square(r) * torch.log(torch.clamp_min(r, EPSILON))
    elif order % 2 == 0:
        r = torch.clamp_min(r, EPSILON)
        return 0.5 * torch.pow(r, 0.5 * order) * torch.log(r)
    else:
        r = torch.clamp_min(r, EPSILON)
        return torch.pow(r, 0.5 * order)


def _solve_interpolation(train_points, train_values, order, regularization_weight):
    b, n, d = train_points.shape
    k = train_values.shape[-1]
    c = train_points
    f = train_values
    matrix_a = _phi(_pairwise_squared_distance_matrix(c), order)  # [b, n, n]
    if regularization_weight > 0:
        batch_identity_matrix = torch.unsqueeze(torch.eye(n, dtype=c.dtype), 0)
        matrix_a = matrix_a + regularization_weight * batch_identity_matrix
    ones = torch.ones_like(c[..., :1])
    matrix_b = torch.cat([c, ones], 2)  # [b, n, d + 1]
    left_block = torch.cat([matrix_a, torch.transpose(matrix_b, 1, 2)], 1)  # [b, n + d + 1, n]
    num_b_cols = matrix_b.shape[2]
    lhs_zeros = torch.zeros([b, num_b_cols, num_b_cols], dtype=train_points.dtype)
    right_block = torch.cat([matrix_b, lhs_zeros], 1)  # [b, n + d + 1, d + 1]
    lhs = torch.cat([left_block, right_block], 2)  # [b, n + d + 1, n + d + 1]
    rhs_zeros = torch.zeros([b, d + 1, k], dtype=train_points.dtype)
    rhs = torch.cat([f, rhs_zeros], 1)  # [b, n + d + 1, k]
    w_v = torch.linalg.solve(lhs, rhs)
    w = w_v[:, :n, :]
    v = w_v[:, n:, :]
    return w, v


def _apply_interpolation(query_points, train_points, w, v, order):
    pairwise_dists = _cross_squared_distance_matrix(query_points, train_points)
    phi_pairwise_dists = _phi(pairwise_dists, order)
    rbf_term = torch.matmul(phi_pairwise_dists, w)
    query_points_pad = torch.cat([query_points, torch.ones_like(query_points[..., :1])], 2)
    linear_term = torch.matmul(query_points_pad, v)
    return rbf_term + linear_term


def interpolate_spline(train_points, train_values, query_points, order, regularization_weight=0.0):
    w, v = _solve_interpolation(train_points, train_values, order, regularization_weight)
    return _apply_interpolation(query_points, train_points, w, v, order)


# ----------------------------------------------------------------------------- dense_image_warp

def interpolate_bilinear(grid, query_points, indexing="ij"):
    batch_size, height, width, channels = grid.shape
    num_queries = query_points.shape[1]
    query_type = query_points.dtype
    grid_type = grid.dtype
    alphas, floors, ceils = [], [], []
    index_order = [0, 1] if indexing == "ij" else [1, 0]
    unstacked_query_points = torch.unbind(query_points, 2)
    for i, dim in enumerate(index_order):
        queries = unstacked_query_points[dim]
        size_in_indexing_dimension = grid.shape[i + 1]
        max_floor = torch.tensor(size_in_indexing_dimension - 2, dtype=query_type)
        min_floor = torch.tensor(0.0, dtype=query_type)
        floor = torch.minimum(torch.maximum(min_floor, torch.floor(queries)), max_floor)
        int_floor = floor.to(torch.int64)  # tf: int32; torch index ops want int64
        floors.append(int_floor)
        ceil = int_floor + 1
        ceils.append(ceil)
        alpha = (queries - floor).to(grid_type)
        min_alpha = torch.tensor(0.0, dtype=grid_type)
        max_alpha = torch.tensor(1.0, dtype=grid_type)
        alpha = torch.minimum(torch.maximum(min_alpha, alpha), max_alpha)
        alpha = torch.unsqueeze(alpha, 2)
        alphas.append(alpha)
    flattened_grid = torch.reshape(grid, [batch_size * height * width, channels])
    batch_offsets = torch.reshape(torch.arange(batch_size) * height * width, [batch_size, 1])

    def gather(y_coords, x_coords):
        linear_coordinates = batch_offsets + y_coords * width + x_coords
        gathered_values = torch.index_select(flattened_grid, 0, linear_coordinates.reshape(-1))  # tf.gather
        return torch.reshape(gathered_values, [batch_size, num_queries, channels])

    top_left = gather(floors[0], floors[1])
    top_right = gather(floors[0], ceils[1])
    bottom_left = gather(ceils[0], floors[1])
    bottom_right = gather(ceils[0], ceils[1])
    interp_top = alphas[1] * (top_right - top_left) + top_left
    interp_bottom = alphas[1] * (bottom_right - bottom_left) + bottom_left
    interp = alphas[0] * (interp_bottom - interp_top) + interp_top
    return interp


def dense_image_warp(image, flow):
    batch_size, height, width, channels = image.shape
    grid_x, grid_y = torch.meshgrid(torch.arange(width), torch.arange(height), indexing="xy")  # tf.meshgrid
    stacked_grid = torch.stack([grid_y, grid_x], dim=2).to(flow.dtype)
    batched_grid = torch.unsqueeze(stacked_grid, 0)
    query_points_on_grid = batched_grid - flow
    query_points_flattened = torch.reshape(query_points_on_grid, [batch_size, height * width, 2])
    interpolated = interpolate_bilinear(image, query_points_flattened)
    interpolated = torch.reshape(interpolated, [batch_size, height, width, channels])
    return interpolated


# ----------------------------------------------------------------------------- sparse_image_warp

def _get_grid_locations(image_height, image_width):
    y_range = np.linspace(0, image_height - 1, image_height)
    x_range = np.linspace(0, image_width - 1, image_width)
    y_grid, x_grid = np.meshgrid(y_range, x_range, indexing="ij")
    return np.stack((y_grid, x_grid), -1)


def _expand_to_minibatch(np_array, batch_size):
    tiles = [batch_size] + [1] * np_array.ndim
    return np.tile(np.expand_dims(np_array, 0), tiles)


def _get_boundary_locations(image_height, image_width, num_points_per_edge):
    y_range = np.linspace(0, image_height - 1, num_points_per_edge + 2)
    x_range = np.linspace(0, image_width - 1, num_points_per_edge + 2)
    ys, xs = np.meshgrid(y_range, x_range, indexing="ij")
    is_boundary = np.logical_or(np.logical_or(xs == 0, xs == image_width - 1),
                                np.logical_or(ys == 0, ys == image_height - 1))
    return np.stack([ys[is_boundary], xs[is_boundary]], axis=-1)


_CONST_CACHE: dict = {}


def _constant(key, builder):
    """Graph-constant stand-in: TFA builds these with numpy and embeds them as tf.constant."""
    t = _CONST_CACHE.get(key)
    if t is None:
        t = builder()
        _CONST_CACHE[key] = t
    return t


def _add_zero_flow_controls_at_boundary(control_point_locations, control_point_flows, image_height,
                                        image_width, boundary_points_per_edge):
    batch_size = control_point_locations.shape[0]
    type_to_use = control_point_locations.dtype
    boundary_point_locations, boundary_point_flows = _constant(
        ("boundary", image_height, image_width, boundary_points_per_edge, batch_size, type_to_use),
        lambda: _boundary_consts(image_height, image_width, boundary_points_per_edge, batch_size, type_to_use))
    merged_control_point_locations = torch.cat([control_point_locations, boundary_point_locations], 1)
    merged_control_point_flows = torch.cat([control_point_flows, boundary_point_flows], 1)
    return merged_control_point_locations, merged_control_point_flows


def _boundary_consts(h, w, per_edge, batch_size, dtype):
    loc = _get_boundary_locations(h, w, per_edge)
    flows = np.zeros([loc.shape[0], 2])
    return (torch.tensor(_expand_to_minibatch(loc, batch_size), dtype=dtype),
            torch.tensor(_expand_to_minibatch(flows, batch_size), dtype=dtype))


def sparse_image_warp(image, source_control_point_locations, dest_control_point_locations,
                      interpolation_order=2, regularization_weight=0.0, num_boundary_points=0):
    control_point_flows = dest_control_point_locations - source_control_point_locations
    clamp_boundaries = num_boundary_points > 0
    boundary_points_per_edge = num_boundary_points - 1
    batch_size, image_height, image_width, _ = image.shape
    flattened_grid_locations = _constant(
        ("grid", image_height, image_width, batch_size, image.dtype),
        lambda: torch.tensor(_expand_to_minibatch(
            np.reshape(_get_grid_locations(image_height, image_width), [image_height * image_width, 2]),
            batch_size), dtype=image.dtype))
    if clamp_boundaries:
        dest_control_point_locations, control_point_flows = _add_zero_flow_controls_at_boundary(
            dest_control_point_locations, control_point_flows, image_height, image_width,
            boundary_points_per_edge)
    flattened_flows = interpolate_spline(dest_control_point_locations, control_point_flows,
                                         flattened_grid_locations, interpolation_order, regularization_weight)
    dense_flows = torch.reshape(flattened_flows, [batch_size, image_height, image_width, 2])
    warped_image = dense_image_warp(image, dense_flows)
    return warped_image, dense_flows


# ----------------------------------------------------------------------------- driver

def to_yx(p_xy: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(p_xy[..., ::-1])


def make_inputs(case, dtype=torch.float32, b0=0, b1=None):
    b1 = case["batch"] if b1 is None else b1
    img = torch.tensor(case["image"][b0:b1], dtype=dtype)
    src = torch.tensor(to_yx(case["src"][b0:b1]), dtype=dtype)
    dst = torch.tensor(to_yx(case["dst"][b0:b1]), dtype=dtype)
    return img, src, dst


def run_forward(img, src, dst, order):
    with torch.no_grad():
        out, _ = sparse_image_warp(img, src, dst, interpolation_order=order, num_boundary_points=2)
    return out


def run_fwd_bwd(img, src, dst, order, weights):
    img = img.detach().requires_grad_(True)
    src = src.detach().requires_grad_(True)
    dst = dst.detach().requires_grad_(True)
    out, _ = sparse_image_warp(img, src, dst, interpolation_order=order, num_boundary_points=2)
    loss = torch.sum(out * weights)
    loss.backward()
    return out.detach(), img.grad, src.grad, dst.grad


def gradient_check(verbose=True) -> bool:
    """Autograd vs central finite differences, float64, tiny case, dest points off the pixel grid."""
    torch.manual_seed(0)
    ok = True
    h, w, c, n = 11, 13, 2, 5
    rng = np.random.default_rng(7)
    for order in (1, 2):
        for attempt in range(50):
            src = rng.uniform(2.3, [w - 3.3, h - 3.3], size=(n, 2))  # (x, y)
            dst = src + rng.uniform(-1.5, 1.5, size=(n, 2))
            frac = np.abs(dst - np.round(dst))
            img = rng.uniform(0, 1, size=(h, w, c))
            # query positions (y, x) - flow must be away from integers too (bilinear kinks)
            _, fl = wl.reference_warp(img, src, dst, order, return_flow=True)
            yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
            q = np.stack([yy - fl[..., 1], xx - fl[..., 0]], -1)
            qfrac = np.abs(q - np.round(q))
            if frac.min() > 0.05 and qfrac.min() > 1e-3:
                break
        imgt = torch.tensor(img[None], dtype=torch.float64)
        srct = torch.tensor(to_yx(src)[None], dtype=torch.float64)
        dstt = torch.tensor(to_yx(dst)[None], dtype=torch.float64)
        wts = torch.tensor(rng.standard_normal((1, h, w, c)), dtype=torch.float64)

        def loss_of(i_, s_, d_):
            with torch.no_grad():
                o, _ = sparse_image_warp(i_, s_, d_, interpolation_order=order, num_boundary_points=2)
                return float(torch.sum(o * wts))

        out, gi, gs, gd = run_fwd_bwd(imgt, srct, dstt, order, wts)
        fwd_err = wl.max_err(out[0].numpy(), wl.reference_warp(img, src, dst, order))
        eps = 1e-6
        worst = 0.0
        for name, base, g in (("image", imgt, gi), ("source", srct, gs), ("dest", dstt, gd)):
            flat = base.reshape(-1)
            num = torch.zeros_like(flat)
            for idx in range(flat.numel()):
                p = flat.clone(); p[idx] += eps
                m = flat.clone(); m[idx] -= eps
                args_p = [imgt, srct, dstt]
                args_m = [imgt, srct, dstt]
                k = ("image", "source", "dest").index(name)
                args_p[k] = p.reshape(base.shape)
                args_m[k] = m.reshape(base.shape)
                num[idx] = (loss_of(*args_p) - loss_of(*args_m)) / (2 * eps)
            ana = g.reshape(-1)
            rel = float(torch.max(torch.abs(ana - num)) / max(1e-12, float(torch.max(torch.abs(num)))))
            worst = max(worst, rel)
            if verbose:
                print(f"[torch-check] order {order} grad {name:6s}: max |autograd - FD| / max|FD| = {rel:.2e} "
                      f"(max|grad| {float(torch.max(torch.abs(num))):.3g})", file=sys.stderr)
        good = worst < 1e-5 and fwd_err < 1e-9
        if verbose:
            print(f"[torch-check] order {order}: f64 forward vs numpy reference {fwd_err:.2e}; "
                  f"gradients {'PASS' if good else 'FAIL'}", file=sys.stderr)
        ok &= good
    return ok


def forward_check(args) -> bool:
    ok = True
    for case, order in wl.selected(args):
        img, src, dst = make_inputs(case)
        out = run_forward(img, src, dst, order).numpy()
        err = wl.max_err(out, wl.load_reference(args.workdir, case, order))
        lim = 5e-3 if order == 1 else 5e-2
        good = err < lim
        ok &= good
        print(f"[torch-check] {case['name']} order {order}: float32 forward max_err {err:.3e} "
              f"({'ok' if good else 'TOO LARGE'}, limit {lim})", file=sys.stderr)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    wl.add_timing_args(ap)
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--passes", default="forward", help="comma list of forward, forward+backward")
    ap.add_argument("--loop", action="store_true", help="for batch > 1 also time a Python loop of batch-1 calls")
    ap.add_argument("--max-elems-bwd", type=float, default=7e7,
                    help="skip forward+backward when H*W*N exceeds this (autograd keeps several such tensors)")
    ap.add_argument("--check", action="store_true", help="forward vs f64 reference + autograd vs finite differences")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    if args.check:
        ok = forward_check(args)
        ok = gradient_check() and ok
        print(f"[torch-check] {'PASS' if ok else 'FAIL'}", file=sys.stderr)
        sys.exit(0 if ok else 1)

    threads = torch.get_num_threads()
    passes = [p for p in args.passes.split(",") if p]
    for case, order in wl.selected(args):
        ref = wl.load_reference(args.workdir, case, order)
        B = case["batch"]
        img, src, dst = make_inputs(case)
        gen = torch.Generator().manual_seed(1234)
        weights = torch.rand(img.shape, generator=gen, dtype=torch.float32)
        timing = dict(warmup=args.warmup, min_reps=args.min_reps, max_reps=args.max_reps, budget_s=args.budget)
        elems = case["height"] * case["width"] * case["n_centers"]
        for p in passes:
            if p == "forward":
                times, out = wl.measure(lambda: run_forward(img, src, dst, order), **timing)
                wl.emit(wl.record("torch-tfa", "eager" + ("-batched" if B > 1 else ""), case, order, threads,
                                  "forward", times, wl.max_err(out.numpy(), ref)))
                if args.loop and B > 1:
                    singles = [make_inputs(case, b0=b, b1=b + 1) for b in range(B)]
                    times, outs = wl.measure(lambda: [run_forward(*s, order) for s in singles], **timing)
                    err = wl.max_err(np.concatenate([o.numpy() for o in outs]), ref)
                    wl.emit(wl.record("torch-tfa", "eager-loop", case, order, threads, "forward", times, err))
            elif p == "forward+backward":
                if elems > args.max_elems_bwd:
                    print(f"[torch] skip forward+backward for {case['name']} (H*W*N = {elems:.3g})", file=sys.stderr)
                    continue
                times, res = wl.measure(lambda: run_fwd_bwd(img, src, dst, order, weights), **timing)
                wl.emit(wl.record("torch-tfa", "eager" + ("-batched" if B > 1 else ""), case, order, threads,
                                  "forward+backward", times, wl.max_err(res[0].numpy(), ref)))
            else:
                raise SystemExit(f"unknown pass {p}")


if __name__ == "__main__":
    main()
