#!/usr/bin/env bash
# CPU profiles of the warp's benchmarks with async-profiler (issue 18: where the time goes in the
# rows that miss their targets), one after the other, then a table of self and inclusive shares per
# benchmark: benchmarks/results/<machine>-profile.md (raw collapsed stacks stay in
# benchmarks/target/profile/<machine>/, too large to keep).
#
# usage: scripts/profile-warp.sh [--offline] [--no-build] [--out DIR]
# async-profiler comes from Maven Central (tools.profiler:async-profiler, its jar carries the Linux
# library); it samples CPU time with itimer, which needs no perf_event permissions. ~2 min.
# The machine should be otherwise idle.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OFFLINE=(); BUILD=1; OUT="$ROOT/benchmarks/results"
while [ $# -gt 0 ]; do
  case "$1" in
    --offline) OFFLINE=(-o); shift ;;
    --no-build) BUILD=0; shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "profile-warp.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
AP_VERSION=3.0
AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
if [ ! -f "$AP_JAR" ]; then
  ./mvnw "${OFFLINE[@]}" -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION" \
    -Dtransitive=false
fi
case "$(uname -m)" in
  x86_64) ARCH=linux-x64 ;;
  aarch64) ARCH=linux-arm64 ;;
  *) echo "profile-warp.sh: no async-profiler library for $(uname -m)" >&2; exit 1 ;;
esac
LIBDIR="$ROOT/benchmarks/target/async-profiler"
mkdir -p "$LIBDIR"
unzip -o -q "$AP_JAR" "$ARCH/libasyncProfiler.so" -d "$LIBDIR"
LIB="$LIBDIR/$ARCH/libasyncProfiler.so"
if [ "$BUILD" = 1 ]; then
  ./mvnw "${OFFLINE[@]}" -q -B package -Pbench -DskipTests -pl benchmarks -am
fi
MACHINE="$(python3 benchmarks/report.py machine-id)"
RAW="$ROOT/benchmarks/target/profile/$MACHINE"
rm -rf "$RAW"; mkdir -p "$RAW"
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
COMMON=(-f 1 -wi 3 -w 1s -i 8 -r 1s)
run() { # name, JMH arguments
  local name=$1; shift
  echo "profile-warp: $name ($(uptime | sed 's/.*load/load/'))" >&2
  java -jar benchmarks/target/benchmarks.jar "$@" "${COMMON[@]}" \
    -prof "async:libPath=$LIB;event=itimer;interval=1000000;output=collapsed;dir=$RAW/$name" \
    > "$RAW/$name.txt" 2>&1
}
run eager-order1 'EagerWarpBenchmark\.forward$' -p threads=2 -p order=1 -p batch=1 -p kernels=vector -p size=224 -p points=68
run eager-order2 'EagerWarpBenchmark\.forward$' -p threads=2 -p order=2 -p batch=1 -p kernels=vector -p size=224 -p points=68
run graph-forward 'GraphWarpBenchmark\.forward$' -p batch=1 -p order=1
run graph-forward-backward 'GraphWarpBenchmark\.forwardBackward$' -p batch=1 -p order=1
run fit-2threads 'SplineSolveBenchmark\.oursFit2$' -p points=68 -p batch=32
python3 benchmarks/profile_report.py "$RAW" "$MACHINE" > "$OUT/$MACHINE-profile.md"
echo "profile-warp: $OUT/$MACHINE-profile.md" >&2
