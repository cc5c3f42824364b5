#!/usr/bin/env bash
# Builds facenorm's morphable face model (io.github.facenorm.models.face3d) from the 102 neutral
# FRL London photos in ../shared/data/frl-london: MediaPipe's face mesh (Java port) on each photo,
# generalized Procrustes into the canonical mesh's frame, PCA shape basis (99.5 % variance), texture
# PCA in the UV atlas, leave-one-out reconstruction error. Needs scripts/fetch-face3d.sh first.
#   scripts/build-3dmm.sh [OUT_DIR]      (default out/3dmm; per-photo results cached there, rerun resumes)
# Writes OUT_DIR/frl-facemesh-3dmm-v1.f3dmm and OUT_DIR/MODEL_CARD.md. To ship the model, copy the
# .f3dmm to facenorm-models/src/main/resources/io/github/facenorm/models/face3d/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$(mkdir -p "${1:-$root/out/3dmm}" && cd "${1:-$root/out/3dmm}" && pwd)"
bash "$here/fetch-face3d.sh" >/dev/null
cd "$root"
./mvnw -B -q -o test -pl facenorm-models -am \
  -Dtest=FrlModelBuildRun -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfacenorm.face3d.build="$out" -Dsurefire.redirectTestOutput=false
[[ -f "$out/MODEL_CARD.md" ]] || { echo "build-3dmm: no report written (test skipped? see above)" >&2; exit 1; }
cat "$out/MODEL_CARD.md"
