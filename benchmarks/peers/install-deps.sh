#!/usr/bin/env bash
# Installs (only if missing) the Debian packages the peers need. Idempotent; needs root.
# apt-get update runs only if the first install attempt fails (stale or missing package lists).
set -euo pipefail

PKGS=(
  python3                # Debian's interpreter (/usr/bin/python3): the python3-* packages below live there
  python3-numpy          # numpy peer + workload/reference generation
  python3-scipy          # ndimage.map_coordinates, RBFInterpolator
  python3-torch          # PyTorch TFA port
  python3-opencv         # TPS shape transformer, cv2.remap
  libopenblas0-pthread   # optimised BLAS/LAPACK for numpy/scipy/torch and dgesv for the C roofline (N+3 > 160)
  libtcmalloc-minimal4   # LD_PRELOAD allocator for the Python peers (avoids fresh-page faults)
  gcc                    # C roofline (gcc 12: -O3 -march=native -ffast-math -fopenmp, libmvec)
  libc6-dev
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "[install-deps] all ${#PKGS[@]} packages already installed" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "[install-deps] installing: ${missing[*]}" >&2
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  echo "[install-deps] install failed; running apt-get update and retrying" >&2
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
