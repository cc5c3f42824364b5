#!/usr/bin/env bash
# Fetches the npm files facenorm's face3d package reads (io.github.facenorm.models.face3d):
#   @mediapipe/face_mesh@0.4.1657299874 (Apache-2.0): the packed assets holding the canonical face mesh
#   @vladmandic/human@3.3.6 (MIT; the model is MediaPipe's, Apache-2.0): the facemesh tfjs graph + VTX68
# with npm's own client ('npm pack'; nothing is installed). The pins (tarball and file sha256, cache
# paths) are read from the one pin list the Java side checks too:
#   facenorm-models/src/main/resources/io/github/facenorm/models/face3d/face3d-assets.txt
# Files go to ${FACENORM_CACHE:-$HOME/.cache/facenorm}/<path>, each written through a temporary file
# and renamed into place (atomic). Idempotent: files whose sha256 already matches are left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly PINS="$here/../facenorm-models/src/main/resources/io/github/facenorm/models/face3d/face3d-assets.txt"
die() {
  echo "fetch-face3d: error: $*" >&2
  exit 1
}
[[ -f "$PINS" ]] || die "pin list $PINS not found"
for tool in npm tar sha256sum mktemp; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found on PATH (npm comes with Node.js)"
done
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

cache_root=${FACENORM_CACHE:-${HOME}/.cache/facenorm}
work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-face3d.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

declare -A packed=()
while read -r spec tar_sha member sha path; do
  dest="$cache_root/$path"
  if [[ -f "$dest" && "$(sha_of "$dest")" == "$sha" ]]; then
    continue
  fi
  tgz_dir="$work/${spec//[@\/]/_}"
  if [[ -z "${packed[$spec]:-}" ]]; then
    mkdir -p "$tgz_dir"
    echo "fetch-face3d: npm pack $spec" >&2
    (cd "$tgz_dir" && npm pack --silent "$spec") >"$tgz_dir/npm.log" 2>&1 \
      || die "'npm pack $spec' failed (offline or no registry configured?): $(tail -n 5 "$tgz_dir/npm.log")"
    tgz=$(ls "$tgz_dir"/*.tgz 2>/dev/null | head -n 1)
    [[ -n "$tgz" ]] || die "npm pack $spec produced no tarball"
    actual=$(sha_of "$tgz")
    [[ "$actual" == "$tar_sha" ]] \
      || die "sha256 mismatch for $spec: expected $tar_sha, got $actual (the registry served a different tarball)"
    mkdir -p "$tgz_dir/x"
    tar -xzf "$tgz" -C "$tgz_dir/x" || die "cannot extract $tgz"
    packed[$spec]=1
  fi
  src="$tgz_dir/x/$member"
  [[ -f "$src" ]] || die "$spec has no $member"
  actual=$(sha_of "$src")
  [[ "$actual" == "$sha" ]] || die "sha256 mismatch for $member of $spec: expected $sha, got $actual"
  mkdir -p "$(dirname "$dest")" || die "cannot create $(dirname "$dest")"
  tmp=$(mktemp "$(dirname "$dest")/.$(basename "$dest").XXXXXX") || die "cannot write in $(dirname "$dest")"
  cp "$src" "$tmp" && chmod 0644 "$tmp" && mv "$tmp" "$dest" || { rm -f "$tmp"; die "cannot write $dest (disk full?)"; }
done < <(grep -v '^[[:space:]]*#' "$PINS" | grep -v '^[[:space:]]*$')

echo "$cache_root/face3d"
