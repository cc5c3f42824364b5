#!/usr/bin/env bash
# Runs every peer of the sparse-image-warp benchmark and writes one JSON line per measurement.
#
# usage: run_peers.sh [--quick] [--budget S] [--out FILE] [--workdir DIR]
#   --quick        smoke test: 1 warm-up + 3 timed reps, scale series limited to 64^2/128^2 x n = 16/68/256
#   --budget S     full run with S seconds of timed reps per FACE measurement (default 2) and S/2 per
#                  scale measurement (default 1); min/max reps unchanged (scripts/bench.sh passes 1)
#   --out FILE     JSON lines go to FILE (default: stdout); progress and logs go to stderr
#   --workdir DIR  write (and keep) the generated workloads in DIR instead of a removed temp dir
# env: PY (default /usr/bin/python3, Debian's, where the apt packages live), BUILD_DIR (default
#      /tmp/facenorm-peers-build: the C binary; never inside the repo), TORCH_THREADS (default 2).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
QUICK=0
OUT=""
WORKDIR=""
BUDGET=2
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    --budget) BUDGET="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run_peers.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

PY="${PY:-/usr/bin/python3}"
BUILD_DIR="${BUILD_DIR:-/tmp/facenorm-peers-build}"
TORCH_THREADS="${TORCH_THREADS:-2}"
log() { echo "[run_peers $(date +%H:%M:%S)] $*" >&2; }
FAILED=()

# ---------------------------------------------------------------- dependencies + build
bash "$HERE/install-deps.sh" || { echo "install-deps failed" >&2; exit 1; }
mkdir -p "$BUILD_DIR"
ROOFLINE="$BUILD_DIR/roofline"
log "building $ROOFLINE"
gcc -O3 -march=native -mprefer-vector-width=512 -ffast-math -fopenmp -o "$ROOFLINE" "$HERE/c/roofline.c" -lm -ldl || { echo "C build failed" >&2; exit 1; }

# ---------------------------------------------------------------- output + workloads
if [ -n "$OUT" ]; then
  mkdir -p "$(dirname "$OUT")"
  exec 3>"$OUT"
else
  exec 3>&1
fi
if [ -z "$WORKDIR" ]; then
  TMP="$(mktemp -d /tmp/facenorm-peers-XXXXXX)"
  trap 'rm -rf "$TMP"' EXIT
  WORKDIR="$TMP/wl"
fi
log "generating workloads into $WORKDIR (quick=$QUICK)"
if [ "$QUICK" = 1 ]; then
  "$PY" "$HERE/workload.py" --out "$WORKDIR" --quick || exit 1
else
  "$PY" "$HERE/workload.py" --out "$WORKDIR" || exit 1
fi
SCALE_CASES="$("$PY" -c 'import json,sys; print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))["cases"] if c["workload"]=="scale"))' "$WORKDIR/manifest.json")"

# ---------------------------------------------------------------- environment tuning (see README)
TCMALLOC="$(ldconfig -p | awk '/libtcmalloc_minimal\.so\.4 /{print $NF; exit}')"
[ -n "$TCMALLOC" ] || TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
export OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE MKL_NUM_THREADS=1 PYTHONDONTWRITEBYTECODE=1
# the "unset both together" rule: a pinned OPENBLAS_CORETYPE/L2_SIZE would slow OpenBLAS here
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE

pyrun() { # pyrun THREADS script args...  (Python peer with tcmalloc, JSON to fd 3)
  local t="$1"; shift
  log "python t=$t: $*"
  env LD_PRELOAD="$TCMALLOC" TCMALLOC_RELEASE_RATE=0 TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD=1000000000000 \
      OMP_NUM_THREADS="$t" "$PY" "$HERE/$@" --workdir "$WORKDIR" >&3 || { FAILED+=("$*"); log "FAILED: $*"; }
}
crun() { # crun THREADS case order variant [extra...]
  local t="$1" c="$2" k="$3" v="$4"; shift 4
  env OMP_NUM_THREADS="$t" "$ROOFLINE" --workdir "$WORKDIR" --case "$c" --order "$k" --threads "$t" \
      --variant "$v" "$@" >&3 || { FAILED+=("roofline $c $k $v $t"); log "FAILED: roofline $c $k $v $t"; }
}

if [ "$QUICK" = 1 ]; then
  FACE_T=(--warmup 1 --min-reps 3 --max-reps 3 --budget 0)
  SCALE_T=(--warmup 1 --min-reps 3 --max-reps 3 --budget 0)
  BIG_T=(--warmup 1 --min-reps 3 --max-reps 3 --budget 0)
else
  SCALE_BUDGET="$(awk -v b="$BUDGET" 'BEGIN { print b / 2 }')"
  FACE_T=(--warmup 3 --min-reps 10 --max-reps 500 --budget "$BUDGET")
  SCALE_T=(--warmup 2 --min-reps 5 --max-reps 200 --budget "$SCALE_BUDGET")
  BIG_T=(--warmup 1 --min-reps 5 --max-reps 5 --budget 0)
fi
is_big() { # H*W*N > 5e7 (e.g. 512^2 x 256+) -> fewer reps
  "$PY" -c 'import json,sys; c=json.load(open(sys.argv[1])); sys.exit(0 if c["height"]*c["width"]*c["n_centers"]>5e7 else 1)' "$WORKDIR/$1.json"
}

log "versions: $("$PY" -c 'import numpy,scipy,torch,cv2; print("numpy",numpy.__version__,"scipy",scipy.__version__,"torch",torch.__version__,"opencv",cv2.__version__)' 2>/dev/null); $(gcc --version | head -1); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
log "load: $(cat /proc/loadavg)"

# ---------------------------------------------------------------- correctness gate (torch port)
log "torch port check (forward vs f64 reference, autograd vs finite differences)"
env LD_PRELOAD="$TCMALLOC" OMP_NUM_THREADS="$TORCH_THREADS" "$PY" "$HERE/torch_tfa.py" --workdir "$WORKDIR" \
    --cases face224_b1 --check || { FAILED+=("torch_tfa --check"); log "FAILED: torch_tfa --check"; }

# ---------------------------------------------------------------- FACE-224
c_face() { # tag
  for c in face224_b1 face224_b8; do
    for t in 1 2; do
      crun "$t" "$c" 1 sqrt "${FACE_T[@]}" --tag "$1"
      crun "$t" "$c" 2 libmvec "${FACE_T[@]}" --tag "$1"
      crun "$t" "$c" 2 polylog "${FACE_T[@]}" --tag "$1"
    done
  done
}
log "FACE-224: C roofline (start)"
c_face start
log "FACE-224: torch"
pyrun "$TORCH_THREADS" torch_tfa.py --threads "$TORCH_THREADS" --cases face224_b1 --passes forward,forward+backward "${FACE_T[@]}"
pyrun "$TORCH_THREADS" torch_tfa.py --threads "$TORCH_THREADS" --cases face224_b8 --passes forward,forward+backward --loop "${FACE_T[@]}"
pyrun 1 torch_tfa.py --threads 1 --cases face224_b1 --passes forward,forward+backward "${FACE_T[@]}"
log "FACE-224: numpy / scipy"
pyrun 1 numpy_scipy.py --cases face224_b1,face224_b8 "${FACE_T[@]}"
log "FACE-224: OpenCV"
pyrun 2 opencv_peer.py --threads 2 --cases face224_b1,face224_b8 "${FACE_T[@]}"
pyrun 1 opencv_peer.py --threads 1 --cases face224_b1 --variants remap "${FACE_T[@]}"

# ---------------------------------------------------------------- scale series (order 2, batch 1)
for c in $SCALE_CASES; do
  if is_big "$c"; then T=("${BIG_T[@]}"); else T=("${SCALE_T[@]}"); fi
  log "scale: $c"
  for t in 1 2; do
    crun "$t" "$c" 2 libmvec "${T[@]}"
    crun "$t" "$c" 2 polylog "${T[@]}"
  done
  pyrun "$TORCH_THREADS" torch_tfa.py --threads "$TORCH_THREADS" --cases "$c" --orders 2 --passes forward,forward+backward "${T[@]}"
  pyrun 1 numpy_scipy.py --cases "$c" --orders 2 --variants f32-tfa,f32-direct,rbf "${T[@]}"
  pyrun 2 opencv_peer.py --threads 2 --cases "$c" --orders 2 --variants tps,remap "${T[@]}"
done

log "FACE-224: C roofline (end, drift check)"
c_face end
log "load: $(cat /proc/loadavg)"

if [ ${#FAILED[@]} -gt 0 ]; then
  log "${#FAILED[@]} step(s) failed:"
  for f in "${FAILED[@]}"; do log "  $f"; done
  exit 1
fi
log "done"
