#!/usr/bin/env bash
# facenorm-spark against the command line on the same photos (issue 21), on this machine:
#   1. scripts/facenorm normalize (1 thread, as the command line runs by default)
#   2. scripts/spark-submit.sh normalize --no-identity-distance   local[1]   (the same work)
#   3. the same, local[2]: two tasks at once in one executor JVM
#   4. the same, local-cluster[2,1,3072]: two executor JVMs of one core each
# Photos: the first N (sorted) JPEGs of DATA, copied to a temporary folder. Everything runs under
# nice -n 10. Times are wall clock of the whole command (JVM start, model loading, writing) and the
# command's own rate line. Writes a Markdown table to OUT (default
# benchmarks/results/<machine>-spark.md).
# usage: scripts/bench-spark.sh [--photos N] [--data DIR] [--out FILE]     (~6 min for 500 photos)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=500
data="$root/../shared/data/lfw-devtrain"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --photos) n="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench-spark.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$data" ] || { echo "bench-spark.sh: no photo folder $data (--data)" >&2; exit 2; }
[ -n "$out" ] || out="$root/benchmarks/results/$(cd "$root" && python3 benchmarks/report.py machine-id)-spark.md"
work="$(mktemp -d /tmp/facenorm-bench-spark-XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/photos"
(cd "$data" && find . -name '*.jpg') | sort >"$work/all.txt"
head -n "$n" "$work/all.txt" | while IFS= read -r f; do
  mkdir -p "$work/photos/$(dirname "$f")"
  cp "$data/$f" "$work/photos/$f"
done
count="$(find "$work/photos" -name '*.jpg' | wc -l)"
echo "bench-spark: $count photos from $data; building ..." >&2
"$root/scripts/facenorm" --help >/dev/null
FACENORM_SPARK_MASTER='local[1]' "$root/scripts/spark-submit.sh" --help >/dev/null 2>&1

rows=()
# run NAME command...: wall time and the command's own photos/s
run() {
  local name="$1"; shift
  local t0 t1 log="$work/$name.log"
  echo "bench-spark: $name (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  t0="$(date +%s.%N)"
  if ! nice -n 10 "$@" >"$log" 2>&1; then
    tail -20 "$log" >&2
    rows+=("| $name | failed | | |")
    return 0
  fi
  t1="$(date +%s.%N)"
  local wall rate
  wall="$(python3 -c "print(f'{$t1 - $t0:.1f}')")"
  rate="$(grep -o '([0-9.]* photos/s)' "$log" | tail -1 | tr -d '()' | cut -d' ' -f1)"
  rows+=("| $name | $wall | $(python3 -c "print(f'{$count / ($t1 - $t0):.2f}')") | ${rate:-?} |")
  echo "bench-spark: $name: $wall s wall, ${rate:-?} photos/s by its own count" >&2
}
run "cli normalize (1 thread)" "$root/scripts/facenorm" normalize "$work/photos" -o "$work/cli"
run "spark local[1], no distance" env FACENORM_SPARK_MASTER='local[1]' \
  "$root/scripts/spark-submit.sh" normalize "$work/photos" --out "$work/s1.parquet" --no-identity-distance
run "spark local[2], no distance" env FACENORM_SPARK_MASTER='local[2]' \
  "$root/scripts/spark-submit.sh" normalize "$work/photos" --out "$work/s2.parquet" --no-identity-distance
run "spark local-cluster[2,1,3072], no distance" env FACENORM_SPARK_MASTER='local-cluster[2,1,3072]' \
  FACENORM_SPARK_OPTS="--executor-memory 3g" \
  "$root/scripts/spark-submit.sh" normalize "$work/photos" --out "$work/c2.parquet" --no-identity-distance
mkdir -p "$(dirname "$out")"
{
  echo "# facenorm-spark vs the command line, $count LFW dev-train photos"
  echo
  echo "scripts/bench-spark.sh --photos $n on $(date -u +%Y-%m-%d) ($(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load at the end $(cut -d' ' -f1-3 /proc/loadavg)); every run under nice -n 10."
  echo "Wall = the whole command (JVM start, model loading, writing outputs); own rate = the rate the command prints (CLI: photos after the models are loaded; Spark: from the listing to the Parquet commit)."
  echo
  echo "| run | wall s | photos/s (wall) | photos/s (own) |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$out"
cat "$out"
