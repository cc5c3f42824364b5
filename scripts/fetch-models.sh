#!/usr/bin/env bash
# Fetches every pretrained model facenorm uses into the cache (${FACENORM_CACHE:-~/.cache/facenorm}),
# each by its ordinary client (npm, apt-get) with a pinned sha256. Idempotent: a verified cache is
# left alone. Run before the tests so that the integration tests run instead of skipping.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for script in fetch-face-api.sh fetch-dlib-model.sh fetch-face3d.sh; do
  echo "== $script" >&2
  bash "$here/$script"
done
