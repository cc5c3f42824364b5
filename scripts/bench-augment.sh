#!/usr/bin/env bash
# The augmentation benchmark (issue 16) and its peer, in one invocation:
#   JMH AugmentBenchmark (morph, composite, warp, sample at 224 and 128 px, 1 thread; the exact
#   neighbour table of 731 and 10,000 faces, 2 threads), then scipy solving the same Eq. 3 system
#   (benchmarks/peers/composite_scipy.py: SuperLU factorized once per mask, 1 thread).
# Writes OUT/<machine>.jmh-augment.json, OUT/<machine>.augment-peers.jsonl and OUT/<machine>-augment.md.
# usage: scripts/bench-augment.sh [--offline] [--no-build] [--out DIR]      (~6 min on 2 cores)
# The machine should be otherwise idle.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/benchmarks/results"
OFFLINE=()
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --offline) OFFLINE=(-o); shift ;;
    --no-build) BUILD=0; shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench-augment.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
cd "$ROOT"
mkdir -p "$OUT"
MACHINE="$(python3 benchmarks/report.py machine-id)"
STEM="$OUT/$MACHINE"
if [ "$BUILD" = 1 ]; then
  echo "bench-augment: building benchmarks.jar" >&2
  ./mvnw "${OFFLINE[@]}" -q -B package -Pbench -DskipTests -pl benchmarks -am >&2
fi
TMP="$(mktemp -d /tmp/facenorm-bench-augment-XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
cp benchmarks/target/benchmarks.jar "$TMP/benchmarks.jar"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench-augment: JMH AugmentBenchmark -> $STEM.jmh-augment.json (load $LOAD)" >&2
java -jar "$TMP/benchmarks.jar" 'AugmentBenchmark\.' -rf json -rff "$STEM.jmh-augment.json" >"$TMP/jmh.log" 2>&1 \
  || { tail -30 "$TMP/jmh.log" >&2; exit 1; }
echo "bench-augment: scipy peer -> $STEM.augment-peers.jsonl" >&2
python3 benchmarks/peers/composite_scipy.py --sizes 224,128 --budget 5 >"$STEM.augment-peers.jsonl"
python3 - "$STEM" "$LOAD" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
stem, load0, load1 = sys.argv[1:4]
jmh = json.load(open(stem + ".jmh-augment.json"))
peers = [json.loads(l) for l in open(stem + ".augment-peers.jsonl") if l.strip()]
splu = {p["size"]: p["ms"] for p in peers if p["method"] == "splu"}
lines = [f"# Augmentation speed on {stem.rsplit('/', 1)[-1]}", "",
         f"scripts/bench-augment.sh; load average before {load0}, after {load1}. "
         "One thread per sample (the job runs one sample per thread); the neighbour tables use 2 threads. "
         "Peer: scipy SuperLU of the same Eq. 3 system, factorized once per mask (as facenorm's plan), "
         "right-hand side and 3-channel solve per call, 1 thread, same run.", "",
         "| benchmark | size | time | samples/s (1 thread) | x scipy splu |", "|---|---|---|---|---|"]
for r in jmh:
    name = r["benchmark"].rsplit(".", 1)[-1]
    size = r.get("params", {}).get("size", "")
    score, unit = r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"]
    if unit.startswith("ms"):
        t = f"{score:.2f} ms"; rate = f"{1000 / score:.1f}"
        ratio = f"{score / splu[int(size)]:.2f}" if name == "composite" and size and int(size) in splu else ""
    else:
        t = f"{score:.1f} s"; rate = ""; ratio = ""
    lines.append(f"| {name} | {size} | {t} | {rate} | {ratio} |")
lines += ["", "| peer | size | ms per composite |", "|---|---|---|"]
lines += [f"| scipy {p['method']} | {p['size']} | {p['ms']:.2f} |" for p in peers]
open(stem + "-augment.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
