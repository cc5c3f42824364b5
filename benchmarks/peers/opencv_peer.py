#!/usr/bin/env python3
"""OpenCV peers for the TFA sparse_image_warp workload.

Variants (peer "opencv"):
  tps            order 2 only. cv2.createThinPlateSplineShapeTransformer(0):
                 estimateTransformation(dest_shape, source_shape, matches) -- this argument order gives
                 the backward mapping TFA uses (output pixel p samples the input at T(p), T(dest) = source),
                 then warpImage(INTER_LINEAR, BORDER_REPLICATE). Both shapes include TFA's 8 boundary points.
                 OpenCV fits in float32 and evaluates r^2 log r^2 in a serial per-pixel loop, then remaps.
  remap          pass "sample-only": cv2.remap(INTER_LINEAR, BORDER_REPLICATE) on a precomputed float32
                 map built from the float64 reference flow (map = (x - fx, y - fy)); i.e. the sampling part
                 alone. BORDER_REPLICATE = TFA's clamping; remap quantises positions to 1/32 px.
  numpy-f32-tfa+remap  numpy float32 TFA-formula flow (numpy_scipy.py) + cv2.remap, both orders.
Batch > 1 is a Python loop over images.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workload as wl  # noqa: E402
import numpy_scipy as nps  # noqa: E402


def tps_inputs(case, b):
    h, w = case["height"], case["width"]
    bnd = wl.boundary_points_xy(h, w).astype(np.float32)
    dst = np.ascontiguousarray(np.concatenate([case["dst"][b], bnd])[None], np.float32)
    src = np.ascontiguousarray(np.concatenate([case["src"][b], bnd])[None], np.float32)
    matches = [cv2.DMatch(i, i, 0) for i in range(dst.shape[1])]
    return dst, src, matches


def warp_tps(tps, image, dst, src, matches):
    tps.estimateTransformation(dst, src, matches)
    return tps.warpImage(image, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def remap_maps(case, b, order):
    h, w = case["height"], case["width"]
    _, fl = wl.reference_warp(case["image"][b], case["src"][b], case["dst"][b], order, return_flow=True)
    yy, xx = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    return (np.ascontiguousarray((xx - fl[..., 0]).astype(np.float32)),
            np.ascontiguousarray((yy - fl[..., 1]).astype(np.float32)))


def remap(image, mx, my):
    return cv2.remap(image, mx, my, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def warp_numpy_remap(image, centers, values, order):
    h, w = image.shape[:2]
    fl = nps.flow_numpy(h, w, centers, values, order, np.float32, True)
    q = nps.grid_xy(h, w, np.float32)
    mx = (q[:, 0] - fl[:, 0]).reshape(h, w)
    my = (q[:, 1] - fl[:, 1]).reshape(h, w)
    return remap(image, mx, my)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    wl.add_timing_args(ap)
    ap.add_argument("--threads", type=int, default=2, help="cv2.setNumThreads (default 2)")
    ap.add_argument("--variants", default="tps,remap,numpy-f32-tfa+remap")
    args = ap.parse_args()
    cv2.setNumThreads(args.threads)
    threads = cv2.getNumThreads()
    variants = [v for v in args.variants.split(",") if v]
    timing = dict(warmup=args.warmup, min_reps=args.min_reps, max_reps=args.max_reps, budget_s=args.budget)
    for case, order in wl.selected(args):
        ref = wl.load_reference(args.workdir, case, order)
        B = case["batch"]
        imgs = [np.ascontiguousarray(case["image"][b]) for b in range(B)]
        loop = "-loop" if B > 1 else ""
        for var in variants:
            if var == "tps":
                if order != 2:
                    continue
                tps = cv2.createThinPlateSplineShapeTransformer(0.0)
                inp = [tps_inputs(case, b) for b in range(B)]
                times, outs = wl.measure(lambda: [warp_tps(tps, imgs[b], *inp[b]) for b in range(B)], **timing)
                wl.emit(wl.record("opencv", "tps" + loop, case, order, threads, "forward", times,
                                  wl.max_err(np.stack(outs), ref)))
            elif var == "remap":
                maps = [remap_maps(case, b, order) for b in range(B)]
                times, outs = wl.measure(lambda: [remap(imgs[b], *maps[b]) for b in range(B)], **timing)
                wl.emit(wl.record("opencv", "remap-f32map" + loop, case, order, threads, "sample-only", times,
                                  wl.max_err(np.stack(outs), ref)))
            elif var == "numpy-f32-tfa+remap":
                cen, val = case["centers"], case["values"]
                times, outs = wl.measure(
                    lambda: [warp_numpy_remap(imgs[b], cen[b], val[b], order) for b in range(B)], **timing)
                wl.emit(wl.record("opencv", "numpy-f32-tfa+remap" + loop, case, order, threads, "forward", times,
                                  wl.max_err(np.stack(outs), ref)))
            else:
                raise SystemExit(f"unknown variant {var}")


if __name__ == "__main__":
    main()
