#!/usr/bin/env bash
# One benchmark run, one results table: facenorm's JMH benchmarks and the peers
# (benchmarks/peers/run_peers.sh: torch port of TFA, numpy/scipy, OpenCV, C roofline), measured one
# after the other in this invocation, merged by benchmarks/report.py into OUT/<machine>.md, with the
# raw JSON next to it (<machine>.jmh-{face,graph,fitonce,scale,solve}.json, <machine>.peers.jsonl, .log).
#
# usage: scripts/bench.sh [--quick] [--out DIR] [--offline] [--no-am] [--no-build] [--no-jmh] [--no-peers]
#   --quick      smoke run (~2 min on 2 cores): tiny JMH iterations, a subset of the grids, peers --quick;
#                written as <machine>-quick.* so it never overwrites a full run
#   --out DIR    where results go (default benchmarks/results)
#   --offline    pass -o to Maven
#   --no-am      build only the benchmarks module (upstream modules from ~/.m2), not `-am`
#   --no-build   use the existing benchmarks/target/benchmarks.jar
#   --no-jmh / --no-peers   skip one side (the report then has only the other)
# Full run: ~13-15 min on a quiet 2-core machine (JMH ~7.5 min, peers ~6 min with --budget 1).
# The machine should be otherwise idle: every number depends on it (see shared/notes/warp-peers.md).
# env: JAVA (default java), PY (python for the peers, default /usr/bin/python3), REPORT_PY (default python3)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUICK=0
OUT="$ROOT/benchmarks/results"
OFFLINE=()
AM=(-am)
BUILD=1
RUN_JMH=1
RUN_PEERS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --offline) OFFLINE=(-o); shift ;;
    --no-am) AM=(); shift ;;
    --no-build) BUILD=0; shift ;;
    --no-jmh) RUN_JMH=0; shift ;;
    --no-peers) RUN_PEERS=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
cd "$ROOT" || exit 1

JAVA="${JAVA:-java}"
REPORT_PY="${REPORT_PY:-python3}"
mkdir -p "$OUT"
MACHINE="$("$REPORT_PY" benchmarks/report.py machine-id)"
STEM="$OUT/$MACHINE"
[ "$QUICK" = 1 ] && STEM="$OUT/$MACHINE-quick"
LOG="$STEM.log"
: >"$LOG"
log() { echo "[bench $(date +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }
FAILED=()
START_S=$SECONDS
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "machine $MACHINE, quick=$QUICK, results -> $STEM.md, load $LOAD_START"

# ---------------------------------------------------------------- build
TMP="$(mktemp -d /tmp/facenorm-bench-XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
if [ "$BUILD" = 1 ]; then
  log "building: ./mvnw ${OFFLINE[*]} -q -B package -Pbench -DskipTests -pl benchmarks ${AM[*]}"
  ./mvnw "${OFFLINE[@]}" -q -B package -Pbench -DskipTests -pl benchmarks "${AM[@]}" >>"$LOG" 2>&1 \
    || { log "build failed (see $LOG)"; exit 1; }
fi
# run from a private copy: a concurrent build in the same tree must not change the jar under JMH
JAR="$TMP/benchmarks.jar"
cp benchmarks/target/benchmarks.jar "$JAR" || { log "no benchmarks/target/benchmarks.jar"; exit 1; }
if command -v unzip >/dev/null && ! unzip -tq "$JAR" >/dev/null 2>&1; then
  log "benchmarks.jar is corrupt (a concurrent build?); rebuild and retry"; exit 1
fi

# ---------------------------------------------------------------- JMH
# The warp benchmarks fork with --add-modules jdk.incubator.vector (the Vector API kernels); the
# FACE-224 grid also times the scalar kernels (-p kernels=vector,scalar), the rest run vector.
# ND4J: 2 OpenMP threads, 1 OpenBLAS thread, passive waits (the defaults gave 0.1-1 s outliers per call)
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
if [ "$QUICK" = 1 ]; then
  T_FACE=(-wi 3 -w 200ms -i 3 -r 200ms)
  T_REST=(-wi 2 -w 150ms -i 2 -r 150ms)
  T_GRAPH=("${T_FACE[@]}")
  P_FACE=(-p size=224 -p points=68 -p order=1,2 -p batch=1,8 -p threads=1,2 -p kernels=vector,scalar)
  P_FIT=(-p size=224 -p points=68,1024 -p order=2 -p threads=2)
  P_SCALE=(-p size=64,128 -p points=16,68,256 -p order=2 -p batch=1 -p threads=1)
  SOLVE_RUNS=("solve;SplineSolveBenchmark\.;-p points=68 -p batch=32;")
else
  T_FACE=(-wi 2 -w 400ms -i 5 -r 400ms)
  # forward+backward runs ~10-20 ms a call through many code paths (ops, adjoints, Vector API
  # kernels): 2 x 400 ms of warm-up left C2 compiling into the measurement
  T_GRAPH=(-wi 5 -w 1s -i 5 -r 400ms)
  T_REST=(-wi 1 -w 300ms -i 3 -r 300ms)
  P_FACE=(-p size=224 -p points=68 -p order=1,2 -p batch=1,8,32 -p threads=1,2 -p kernels=vector,scalar)
  P_FIT=(-p size=224 -p points=68,256,1024 -p order=1,2 -p threads=1,2)
  P_SCALE=(-p size=64,128,224,512 -p points=16,68,256,1024 -p order=2 -p batch=1 -p threads=1,2)
  # SUFFIX;INCLUDE;PARAMS;TIMING (empty = T_REST). n = 1024: ND4J InvertMatrix takes minutes, so it
  # is left out; batch 32 (16-50 s per call for commons-math / ND4J) only for facenorm's fit
  SOLVE_RUNS=(
    "solve;SplineSolveBenchmark\.;-p points=16,68,256 -p batch=1,32;"
    "solve-1024;SplineSolveBenchmark\.(oursLu|oursFit1|oursFit2|commonsLu|commonsQr|nd4jSolve)\$;-p points=1024 -p batch=1;"
    "solve-1024b32;SplineSolveBenchmark\.(oursFit1|oursFit2)\$;-p points=1024 -p batch=32;-wi 0 -i 2 -r 300ms"
  )
fi

JMH_FILES=()
jmh() { # jmh TAG FILE-SUFFIX INCLUDE-REGEX args...
  local tag="$1" suffix="$2" include="$3"; shift 3
  local out="$STEM.jmh-$suffix.json"
  log "JMH $suffix: $include $*"
  local ok=0 try
  for try in 1 2 3 4 5 6 7 8 9 10 11 12; do
    # JMH holds /tmp/jmh.lock while it runs: another JMH run on this machine would skew ours anyway
    if "$JAVA" -jar "$JAR" "$include" -f 1 "$@" -foe false -rf json -rff "$out" >"$TMP/jmh.log" 2>&1; then
      ok=1
    fi
    cat "$TMP/jmh.log" >>"$LOG"
    grep -q "Unable to acquire the JMH lock" "$TMP/jmh.log" || break
    ok=0
    log "another JMH run holds /tmp/jmh.lock; waiting 20 s (try $try of 12)"
    sleep 20
  done
  if [ "$ok" = 1 ]; then
    JMH_FILES+=(--jmh "$tag=$out")
  else
    FAILED+=("JMH $suffix"); log "FAILED: JMH $suffix (see $LOG)"
    [ -s "$out" ] && JMH_FILES+=(--jmh "$tag=$out")
  fi
}

if [ "$RUN_JMH" = 1 ]; then
  jmh face face 'EagerWarpBenchmark\.forward$' "${T_FACE[@]}" "${P_FACE[@]}"
  jmh graph graph 'GraphWarpBenchmark\.' "${T_GRAPH[@]}" -p batch=1,8
  jmh fitonce fitonce 'FitOnceBenchmark\.' "${T_REST[@]}" "${P_FIT[@]}"
  jmh scale scale 'EagerWarpBenchmark\.forward$' "${T_REST[@]}" "${P_SCALE[@]}"
  for spec in "${SOLVE_RUNS[@]}"; do
    IFS=';' read -r suffix include params timing <<<"$spec"
    # shellcheck disable=SC2086 # params and timing are lists of JMH options
    if [ -n "$timing" ]; then
      jmh solve "$suffix" "$include" $timing $params
    else
      jmh solve "$suffix" "$include" "${T_REST[@]}" $params
    fi
  done
  ERRS="$(grep -c '<failure>' "$LOG" || true)"
  [ "${ERRS:-0}" -gt 0 ] && { FAILED+=("$ERRS JMH benchmark(s) reported <failure>"); log "$ERRS JMH failures (see $LOG)"; }
fi

# ---------------------------------------------------------------- peers
PEERS_FILE="$STEM.peers.jsonl"
PEER_ARGS=()
if [ "$RUN_PEERS" = 1 ]; then
  if [ "$QUICK" = 1 ]; then PEER_ARGS=(--quick); else PEER_ARGS=(--budget 1); fi
  log "peers: benchmarks/peers/run_peers.sh ${PEER_ARGS[*]}"
  bash benchmarks/peers/run_peers.sh "${PEER_ARGS[@]}" --out "$PEERS_FILE" 2>>"$LOG" \
    || { FAILED+=("run_peers.sh"); log "FAILED: run_peers.sh (see $LOG)"; }
fi

# ---------------------------------------------------------------- report
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
JDK="$("$JAVA" -version 2>&1 | sed -n 2p)"
PEER_VERSIONS="$(grep -m1 'versions:' "$LOG" | sed 's/.*versions: //')"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(GIT_OPTIONAL_LOCKS=0 git status --porcelain 2>/dev/null | grep -c . || true)"
REPORT_ARGS=("${JMH_FILES[@]}")
[ -s "$PEERS_FILE" ] && REPORT_ARGS+=(--peers "$PEERS_FILE")
MODE="full"; [ "$QUICK" = 1 ] && MODE="quick (smoke run: few samples, subsets of the grids; numbers are indicative only)"
"$REPORT_PY" benchmarks/report.py "${REPORT_ARGS[@]}" --out "$STEM.md" \
  --meta "date=$DATE" \
  --meta "run=$MODE, scripts/bench.sh $([ "$QUICK" = 1 ] && echo --quick), $((SECONDS - START_S)) s" \
  --meta "JDK=$JDK" \
  --meta "load average (1/5/15 min)=start $LOAD_START, end $LOAD_END" \
  --meta "peers=${PEER_VERSIONS:-not run} (run_peers.sh ${PEER_ARGS[*]})" \
  --meta "env=OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE for JMH; run_peers.sh tunes the peers" \
  --meta "source=commit $COMMIT, $DIRTY uncommitted change(s) in the work tree" \
  2>>"$LOG" || FAILED+=("report.py")

log "done in $((SECONDS - START_S)) s: $STEM.md"
if [ ${#FAILED[@]} -gt 0 ]; then
  log "${#FAILED[@]} step(s) failed:"
  for f in "${FAILED[@]}"; do log "  $f"; done
  exit 1
fi
