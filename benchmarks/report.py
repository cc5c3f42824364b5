#!/usr/bin/env python3
"""Merges facenorm's JMH results and the peers' JSON lines into one Markdown results table.

usage:
  report.py machine-id
      prints a hostname-independent machine id: logical CPUs + CPU model, e.g. 2vcpu-xeon-8375c
  report.py --jmh TAG=FILE [--jmh TAG=FILE ...] [--peers FILE] --out FILE.md [--meta KEY=VALUE ...]
      TAG says what a JMH file holds: face (EagerWarpBenchmark, FACE-224), graph (GraphWarpBenchmark), scale (EagerWarpBenchmark,
      scale series), fitonce (FitOnceBenchmark), solve (SplineSolveBenchmark); --meta lines are
      written into the header as they are.

Inputs: JMH `-rf json` files (mode SampleTime, unit ms/op; the percentiles 0/50/100 give min, median and
max), and `benchmarks/peers/run_peers.sh` JSON lines (times already per image). Standard library only.

Ratios (columns "x torch", "x C"): this row's median / the reference's median for the same workload,
image size, n, order, threads and pass, from the same run. The torch reference is the fastest torch-tfa
variant, the C reference the fastest c-roofline variant (over variants and the start/end runs). When the
reference has no row with this batch size a row with another batch size is used and the ratio is
marked with a dagger; when it has no row with this thread count either, one with another thread count
is used, marked with a double dagger.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
from collections import defaultdict

BOUNDARY = 8  # TFA num_boundary_points=2: the warp adds 8 zero-flow centers to the n user points
DAGGER, DDAGGER = "\u2020", "\u2021"


# ----------------------------------------------------------------------------- machine id

def cpu_info() -> dict:
    info = {"model": "unknown", "family": "", "model_no": "", "flags": ""}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                k, v = k.strip(), v.strip()
                if k == "model name" and info["model"] == "unknown":
                    info["model"] = v
                elif k == "cpu family" and not info["family"]:
                    info["family"] = v
                elif k == "model" and not info["model_no"]:
                    info["model_no"] = v
                elif k == "flags" and not info["flags"]:
                    info["flags"] = v
    except OSError:
        pass
    try:
        info["cpus"] = len(os.sched_getaffinity(0))
    except AttributeError:
        info["cpus"] = os.cpu_count() or 1
    return info


def machine_id(info: dict | None = None) -> str:
    """`<cpus>vcpu-<model slug>`; generic model names get the family/model numbers appended."""
    info = info or cpu_info()
    name = info["model"]
    name = re.sub(r"\((R|TM|tm|r)\)", " ", name)
    name = re.sub(r"@.*$", " ", name)
    name = re.sub(r"\b\d+(\.\d+)?\s*GHz\b", " ", name)
    drop = {"intel", "amd", "cpu", "processor", "platinum", "gold", "silver", "bronze", "core",
            "with", "radeon", "graphics", "genuine", "authentic", "family", "model", "unknown",
            "generation", "gen"}
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name.lower()) if w and w not in drop]
    words = [w for w in words if not re.fullmatch(r"\d+(th|nd|rd|st)", w)]
    if not any(re.search(r"\d", w) for w in words):
        fam, mod = info.get("family", ""), info.get("model_no", "")
        if fam or mod:
            words.append(f"f{fam}m{mod}")
    slug = "-".join(words) or "cpu"
    kind = "vcpu" if "hypervisor" in info.get("flags", "").split() else "cpu"
    return f"{info['cpus']}{kind}-{slug}"


# ----------------------------------------------------------------------------- loading

def _row(**kw) -> dict:
    base = dict(group="", impl="", variant="", workload="", size=0, n=0, order=0, batch=1, threads="",
                pass_="forward", med=None, lo=None, hi=None, reps=None, err=None, note="")
    base.update(kw)
    return base


SOLVERS = {  # method -> (impl, variant, threads)
    "oursLu": ("facenorm", "LuSolver (solve only)", "1"),
    "oursFit1": ("facenorm", "FittedSpline.fit (build+solve)", "1"),
    "oursFit2": ("facenorm", "FittedSpline.fit (build+solve)", "2"),
    "commonsLu": ("commons-math3", "LUDecomposition", "1"),
    "commonsQr": ("commons-math3", "QRDecomposition", "1"),
    "nd4jSolve": ("ND4J", "linalg().solve, batched", "omp"),
    "nd4jInvert": ("ND4J", "InvertMatrix + mmul", "omp"),
}


def load_jmh(tag: str, path: str, meta: dict) -> list[dict]:
    with open(path) as f:
        text = f.read().strip()
    data = json.loads(text) if text else []
    rows = []
    for rec in data:
        meta.setdefault("jmh", f"JMH {rec.get('jmhVersion', '?')}, {rec.get('vmName', '')} "
                               f"{rec.get('vmVersion', '')} (JDK {rec.get('jdkVersion', '?')})")
        meta.setdefault("jmh_opts", f"-f {rec.get('forks')} -wi {rec.get('warmupIterations')} -w "
                                    f"{rec.get('warmupTime')} -i {rec.get('measurementIterations')} -r "
                                    f"{rec.get('measurementTime')}, mode {rec.get('mode')}")
        cls, _, method = rec["benchmark"].rpartition(".")
        cls = cls.rpartition(".")[2]
        p = {k: v for k, v in rec.get("params", {}).items()}
        pm = rec["primaryMetric"]
        unit = pm.get("scoreUnit", "ms/op")
        scale = {"ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6, "s/op": 1e3}.get(unit)
        if scale is None:
            print(f"report.py: skipping {rec['benchmark']}: unit {unit}", file=sys.stderr)
            continue
        pct = pm.get("scorePercentiles", {})
        med = pct.get("50.0", pm.get("score"))
        lo = pct.get("0.0", med)
        hi = pct.get("100.0", med)
        reps = None
        hist = pm.get("rawDataHistogram")
        if hist:
            reps = sum(int(c) for fork in hist for it in fork for _, c in it)
        elif pm.get("rawData"):
            reps = sum(len(it) for it in pm["rawData"])
        batch = int(p.get("batch", 1))
        per = scale / batch
        common = dict(med=med * per, lo=lo * per, hi=hi * per, reps=reps, batch=batch,
                      order=int(p.get("order", 2)), size=int(p.get("size", 224)),
                      n=int(p.get("points", 68)))
        if cls in ("EagerWarpBenchmark", "SplineWarpBenchmark") and method == "forward":
            group = "scale" if tag == "scale" else "face"
            # FLOAT images: order 1 sums the flow in float, higher orders in double (accuracy)
            variant = ("SplineWarp.apply (f32" if int(p.get("order", 2)) == 1
                       else "SplineWarp.apply (f32 image, f64 flow")
            # which kernels ran (runs before the Vector API backend have no such parameter)
            variant += f", {p['kernels']})" if p.get("kernels") else ")"
            rows.append(_row(group=group, impl="facenorm", variant=variant,
                             workload="FACE-224" if group == "face" else "scale",
                             threads=str(p.get("threads", "")), **common))
        elif cls == "GraphWarpBenchmark":
            # the SameDiff op runs the fused kernels on all cores (2 here)
            vector = any("jdk.incubator.vector" in a for a in rec.get("jvmArgs", []))
            rows.append(_row(group="face", impl="facenorm",
                             variant="SameDiff op (fused Java kernels%s)" % (", vector" if vector else ""),
                             workload="FACE-224", threads="2",
                             pass_="forward" if method == "forward" else "forward+backward", **common))
        elif cls == "FitOnceBenchmark":
            variant = {"evaluate": "SplineFit.evaluate (f64)",
                       "warpWithoutSolve": "fused warp kernel (f32), no solve"}.get(method, method)
            if method == "warpWithoutSolve" and any("jdk.incubator.vector" in a
                                                     for a in rec.get("jvmArgs", [])):
                variant = "fused warp kernel (f32, vector), no solve"
            pass_ = "evaluate" if method == "evaluate" else "warp w/o solve"
            rows.append(_row(group="fitonce", impl="facenorm", variant=variant, workload="fit-once",
                             threads=str(p.get("threads", "")), pass_=pass_, **common))
        elif cls == "SplineSolveBenchmark":
            impl, variant, threads = SOLVERS.get(method, ("?", method, "?"))
            rows.append(_row(group="solve", impl=impl, variant=variant, workload="solve",
                             threads=threads, pass_="solve", **common))
        else:
            print(f"report.py: no table for {rec['benchmark']}", file=sys.stderr)
    return rows


def load_peers(path: str, meta: dict) -> list[dict]:
    rows = []
    loads = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if "load1" in r:
                loads.append(r["load1"])
            group = "face" if r["workload"] == "FACE-224" else "scale"
            note = r.get("tag", "")
            row = _row(group=group, impl=r["peer"], variant=r["variant"], workload=r["workload"],
                       size=r["height"], n=r["n"], order=r["order"], batch=r["batch"],
                       threads=str(r["threads"]), pass_=r["pass"], med=r["median_ms_per_image"],
                       lo=r["min_ms_per_image"], hi=r["max_ms_per_image"], reps=r["reps"],
                       err=r.get("max_err"), note=note)
            rows.append(row)
            fit = r.get("fit_median_ms")
            if r["peer"] == "c-roofline" and fit is not None and r["pass"] == "forward":
                # the C loop's warp without its solve, for the fit-once table
                rows.append(_row(group="fitonce-c", impl="c-roofline", variant=r["variant"] + " (total - fit)",
                                 workload=r["workload"], size=r["height"], n=r["n"], order=r["order"],
                                 batch=r["batch"], threads=str(r["threads"]), pass_="warp w/o solve",
                                 med=max(r["median_ms_per_image"] - fit, 0.0), reps=r["reps"], note=note))
                rows.append(_row(group="solve-c", impl="c-roofline", variant=f"fit: build+{r.get('solver', '?')}",
                                 workload=r["workload"], size=r["height"], n=r["n"], order=r["order"],
                                 batch=1, threads=str(r["threads"]), pass_="solve", med=fit, note=note))
    if loads:
        meta["peers_load"] = f"{min(loads):.2f}–{max(loads):.2f} (1-min load average over the peers' lines)"
    return rows


# ----------------------------------------------------------------------------- references + formatting

def _key(r):
    return (r["workload"], r["size"], r["n"], r["order"], r["pass_"])


def reference(rows: list[dict], impl: str):
    """Returns lookup(row) -> (ref_median, flag) over the fastest rows of `impl`."""
    best = {}
    for r in rows:
        if r["impl"] != impl or r["med"] is None:
            continue
        k = _key(r) + (r["threads"], r["batch"])
        if k not in best or r["med"] < best[k]:
            best[k] = r["med"]

    def lookup(row):
        k = _key(row)
        exact = best.get(k + (row["threads"], row["batch"]))
        if exact is not None:
            return exact, ""
        same_t = [v for kk, v in best.items() if kk[:5] == k and kk[5] == row["threads"]]
        if same_t:
            return min(same_t), DAGGER
        other = [v for kk, v in best.items() if kk[:5] == k]
        if other:
            return min(other), DDAGGER
        return None, ""
    return lookup


def fmt_ms(v) -> str:
    if v is None:
        return "—"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    if v >= 0.01:
        return f"{v:.3f}"
    return f"{v:.2g}"


def fmt_time(r) -> str:
    if r["lo"] is None or r["hi"] is None:
        return fmt_ms(r["med"])
    return f"{fmt_ms(r['med'])} ({fmt_ms(r['lo'])}–{fmt_ms(r['hi'])})"


def fmt_rate(ms) -> str:
    if not ms:
        return "—"
    v = 1000.0 / ms
    return f"{v:.0f}" if v >= 10 else f"{v:.1f}"


def fmt_ratio(v, ref, flag="") -> str:
    if v is None or not ref:
        return "—"
    x = v / ref
    s = f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"
    return s + flag


def fmt_err(e) -> str:
    return "—" if e is None else f"{e:.1e}"


def ns_per_px_center(r) -> str:
    pc = r["size"] * r["size"] * (r["n"] + BOUNDARY)
    return "—" if r["med"] is None else f"{r['med'] * 1e6 / pc:.2f}"


def label(r) -> str:
    s = f"**{r['impl']}**" if r["impl"] == "facenorm" else r["impl"]
    v = r["variant"] + (f" [{r['note']}]" if r["note"] else "")
    return f"{s} | {v}"


def table(header: list[str], lines: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(l) + " |" for l in lines]
    return "\n".join(out)


def thread_sort(t: str):
    return (0, int(t)) if t.isdigit() else (1, 0)


# ----------------------------------------------------------------------------- sections

def section_face(rows, torch_ref, c_ref) -> str:
    face = [r for r in rows if r["group"] == "face"]
    if not face:
        return "## FACE-224 eager\n\n(no results)\n"
    out = ["## FACE-224 eager warp",
           "",
           "224×224×3 float32, n = 68 face landmarks + 8 boundary points (79×79 system), regularization 0. "
           "facenorm = `SplineWarp.apply` on INDArrays (fit + flow + sampling + conversions), and the SameDiff op "
           "(`sd.output`; forward+backward = `sd.calculateGradients` for image, source and dest). Times per image; "
           "batch 8 = one call on 8 images (peers marked `-loop` call batch 1 eight times).",
           ""]
    for order in sorted({r["order"] for r in face}):
        sel = [r for r in face if r["order"] == order]
        sel.sort(key=lambda r: (r["pass_"] != "forward", r["pass_"], r["batch"], thread_sort(r["threads"]),
                                r["impl"] != "facenorm", r["med"] or 0))
        lines = []
        for r in sel:
            t, tf = torch_ref(r)
            c, cf = c_ref(r)
            lines.append([label(r), r["pass_"], str(r["batch"]), r["threads"], fmt_time(r), fmt_rate(r["med"]),
                          fmt_ratio(r["med"], t, tf), fmt_ratio(r["med"], c, cf), fmt_err(r["err"]),
                          str(r["reps"] or "—")])
        out += [f"### order {order} ({'phi = r, the paper' if order == 1 else 'thin plate, phi = r² log r'})", "",
                table(["impl", "variant", "pass", "batch", "threads", "ms/image median (min–max)", "images/s",
                       "x torch", "x C", "max err", "samples"], lines), ""]
    return "\n".join(out)


def section_fitonce(rows) -> str:
    ours = [r for r in rows if r["group"] == "fitonce"]
    cs = [r for r in rows if r["group"] == "fitonce-c"]
    if not ours and not cs:
        return "## Fit once, evaluate many\n\n(no results)\n"
    # C reference: fastest C "total - fit" at this size, n, order, threads (FACE-224 b1 rows or scale rows)
    cbest = {}
    for r in cs:
        k = (r["size"], r["n"], r["order"], r["threads"])
        if k not in cbest or r["med"] < cbest[k]["med"]:
            cbest[k] = r
    lines = []
    keyf = lambda r: (r["n"], r["order"], r["pass_"], thread_sort(r["threads"]))
    for r in sorted(ours, key=keyf):
        c = cbest.get((r["size"], r["n"], r["order"], r["threads"]))
        lines.append([label(r), r["pass_"], f"{r['n']}+8", str(r["order"]), r["threads"], fmt_time(r),
                      fmt_rate(r["med"]), ns_per_px_center(r),
                      fmt_ratio(r["med"], c["med"]) if c and r["pass_"] != "evaluate" else "—"])
    sizes = {r["size"] for r in ours} or {224}
    for k, r in sorted(cbest.items(), key=lambda kv: (kv[0][1], kv[0][2], thread_sort(kv[0][3]))):
        if r["size"] in sizes:
            lines.append([label(r), r["pass_"], f"{r['n']}+8", str(r["order"]), r["threads"], fmt_ms(r["med"]),
                          fmt_rate(r["med"]), ns_per_px_center(r), "1"])
    return "\n".join([
        "## Fit once, evaluate many",
        "",
        "The spline is fitted once (in JMH's @Setup); the rows time what follows without any solve, on a "
        f"{'/'.join(str(s) + '²' for s in sorted(sizes))} grid. `evaluate` = `SplineFit.evaluate` at every "
        "pixel (public API, double precision, [1, H·W, 2] queries → [1, H·W, 2] flow); `warp w/o solve` = the "
        "warp's fused float kernel (flow + bilinear sampling of 3 channels) on primitive arrays. The C row is "
        "the roofline's median total minus its median fit, from the FACE-224 batch-1 or the scale rows of the "
        "same run. ns per pixel·center counts the n + 8 centers.",
        "",
        table(["impl", "what", "pass", "centers", "order", "threads", "ms per grid median (min–max)", "grids/s",
               "ns/(px·center)", "x C"], lines),
        ""])


def section_scale(rows, torch_ref, c_ref) -> str:
    sc = [r for r in rows if r["group"] == "scale"]
    if not sc:
        return "## Scale series\n\n(no results)\n"
    out = ["## Scale series",
           "",
           "Batch 1, n user points + 8 boundary points, images S×S×3. n = 68 uses the face layout, the other n a "
           "jittered √n×√n grid. Evaluation costs H·W·(n+8) kernel terms, so a constant ns/(px·center) means "
           "linear growth in pixels × centers; at n = 1024 the O(n³) solve shows on small images.",
           ""]
    # compact view: ns per pixel-center, facenorm vs the C loop, per thread count
    for order in sorted({r["order"] for r in sc}):
        so = [r for r in sc if r["order"] == order and r["pass_"] == "forward"]
        sizes = sorted({r["size"] for r in so})
        ns = sorted({r["n"] for r in so})
        for impl in ("facenorm", "c-roofline", "torch-tfa"):
            for t in sorted({r["threads"] for r in so if r["impl"] == impl}, key=thread_sort):
                cells = []
                for s in sizes:
                    line = [f"{s}²"]
                    for n in ns:
                        cand = [r for r in so if r["impl"] == impl and r["threads"] == t and r["size"] == s
                                and r["n"] == n]
                        line.append(ns_per_px_center(min(cand, key=lambda r: r["med"])) if cand else "—")
                    cells.append(line)
                out += [f"**{impl}, order {order}, {t} thread(s): ns per pixel·center** (fastest variant)", "",
                        table(["image"] + [f"n={n}" for n in ns], cells), ""]
    for order in sorted({r["order"] for r in sc}):
        sel = [r for r in sc if r["order"] == order]
        sel.sort(key=lambda r: (r["size"], r["n"], r["pass_"] != "forward", r["pass_"],
                                thread_sort(r["threads"]), r["impl"] != "facenorm", r["med"] or 0))
        lines = []
        for r in sel:
            t, tf = torch_ref(r)
            c, cf = c_ref(r)
            lines.append([f"{r['size']}²", str(r["n"]), label(r), r["pass_"], r["threads"], fmt_time(r),
                          fmt_rate(r["med"]), ns_per_px_center(r), fmt_ratio(r["med"], t, tf),
                          fmt_ratio(r["med"], c, cf), fmt_err(r["err"])])
        out += [f"### all rows, order {order}", "",
                table(["image", "n", "impl", "variant", "pass", "threads", "ms/image median (min–max)",
                       "images/s", "ns/(px·center)", "x torch", "x C", "max err"], lines), ""]
    return "\n".join(out)


def section_solve(rows) -> str:
    ours = [r for r in rows if r["group"] == "solve"]
    cs = [r for r in rows if r["group"] == "solve-c"]
    if not ours:
        return "## Batched solve\n\n(no results)\n"
    # C fit (build + solve) per n, single thread, median over the run's lines (it does not depend on image size)
    cfit = defaultdict(list)
    for r in cs:
        if r["threads"] == "1" and r["order"] == 2:
            cfit[r["n"]].append(r)
    lu = {(r["n"], r["batch"]): r["med"] for r in ours if r["variant"].startswith("LuSolver")}
    lines = []
    for r in sorted(ours, key=lambda r: (r["n"], r["batch"], r["med"])):
        dim = r["n"] + BOUNDARY + 3
        c = cfit.get(r["n"])
        cmed = statistics.median(x["med"] for x in c) if c else None
        lines.append([str(r["n"]), f"{dim}×{dim}", str(r["batch"]), label(r), r["threads"], fmt_time(r),
                      fmt_rate(r["med"]), fmt_ratio(r["med"], lu.get((r["n"], r["batch"]))),
                      fmt_ratio(r["med"], cmed)])
    for n in sorted(cfit):
        c = cfit[n]
        dim = n + BOUNDARY + 3
        med = statistics.median(x["med"] for x in c)
        solver = sorted({x["variant"] for x in c})[0]
        lines.append([str(n), f"{dim}×{dim}", "1", f"c-roofline | {solver} (median of {len(c)} warp lines)",
                      "1", fmt_ms(med), fmt_rate(med), fmt_ratio(med, lu.get((n, 1))), "1"])
    return "\n".join([
        "## Batched solve (float64)",
        "",
        "The warp's spline system for n user points + 8 boundary points at pixel scale (224² images): "
        "(n+11)×(n+11), order 2 (zero diagonal, symmetric indefinite), two right-hand sides. Times per "
        "system (a call solves `batch` systems). Every solver is checked in @Setup (backward residual < 1e-9). "
        "`LuSolver` = facenorm's LU alone on prebuilt matrices; `FittedSpline.fit` adds the checks and the "
        "matrix build (threads split the batch); ND4J threads = OMP_NUM_THREADS (2). The C row is the "
        "roofline's fit (build + Gaussian elimination, or OpenBLAS dgesv above 160 unknowns) from its warp lines.",
        "",
        table(["n", "system", "batch", "impl", "variant", "threads", "ms/system median (min–max)", "systems/s",
               "x facenorm LU", "x C fit"], lines),
        ""])


# ----------------------------------------------------------------------------- main

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["machine-id"]:
        print(machine_id())
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jmh", action="append", default=[], metavar="TAG=FILE")
    ap.add_argument("--peers", default=None)
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--title", default="facenorm warp benchmarks")
    args = ap.parse_args(argv)

    meta = {}
    rows = []
    missing = []
    for spec in args.jmh:
        tag, _, path = spec.partition("=")
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            missing.append(path)
            continue
        rows += load_jmh(tag, path, meta)
    if args.peers:
        if os.path.exists(args.peers):
            rows += load_peers(args.peers, meta)
        else:
            missing.append(args.peers)

    info = cpu_info()
    torch_ref = reference(rows, "torch-tfa")
    c_ref = reference(rows, "c-roofline")
    head = [f"# {args.title}: {machine_id(info)}", ""]
    head.append(f"- CPU: {info['model']} (family {info['family']} model {info['model_no']}), "
                f"{info['cpus']} logical CPUs")
    for kv in args.meta:
        k, _, v = kv.partition("=")
        head.append(f"- {k}: {v}")
    if "jmh" in meta:
        head.append(f"- Java: {meta['jmh']}; {meta['jmh_opts']}")
    if "peers_load" in meta:
        head.append(f"- peers' load: {meta['peers_load']}")
    if missing:
        head.append(f"- missing inputs (step failed?): {', '.join(missing)}")
    head += ["",
             "Raw inputs are next to this file (`*.jmh-*.json`, `*.peers.jsonl`). "
             "The facenorm workloads come from `Workloads.warp` (same generator as `peers/workload.py`: "
             "same layout, sizes and displacement rules, not the same random bytes), so `max err` is reported "
             "for the peers only; facenorm's accuracy is covered by its tests. "
             f"Ratio flags: {DAGGER} = reference measured at another batch size, {DDAGGER} = at another "
             "thread count. `threads` = library threads for facenorm, OpenMP/torch/cv2 threads for the peers.",
             ""]
    body = [section_face(rows, torch_ref, c_ref), section_fitonce(rows), section_scale(rows, torch_ref, c_ref),
            section_solve(rows)]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(head) + "\n" + "\n".join(body))
    print(f"report.py: wrote {args.out} ({len(rows)} rows)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
