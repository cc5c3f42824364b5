#!/usr/bin/env bash
# Fetches dlib's 68-point shape predictor (shape_predictor_68_face_landmarks.dat, CC0-1.0)
# from Debian's libdlib-data package with the ordinary apt client, checks its sha256 and
# caches it at ${FACENORM_CACHE:-$HOME/.cache/facenorm}/dlib/. Nothing is installed:
# the .deb is downloaded into a temporary directory and unpacked there with dpkg-deb -x.
# Idempotent: a cached file whose sha256 matches is left alone. Prints the cached path.
set -euo pipefail

readonly NAME=shape_predictor_68_face_landmarks.dat
# The sha256 the Java side checks at load, from the one pin list in facenorm-core's resources.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly PINS="$here/../facenorm-core/src/main/resources/io/github/facenorm/core/models/pretrained-models.txt"
[[ -f "$PINS" ]] || { echo "fetch-dlib-model: error: pin list $PINS not found" >&2; exit 1; }
SHA256=$(awk -v p="dlib/$NAME" '$1 !~ /^#/ && $5 == p { print $4 }' "$PINS")
[[ "$SHA256" =~ ^[0-9a-f]{64}$ ]] || { echo "fetch-dlib-model: error: no pin for dlib/$NAME in $PINS" >&2; exit 1; }
readonly SHA256
readonly PACKAGE=libdlib-data
readonly PATH_IN_DEB=usr/share/dlib/${NAME}

# The cache root, as the JVM finds it (io.github.facenorm.core.models.ModelStore): FACENORM_CACHE,
# else $HOME/.cache/facenorm.
cache_root=${FACENORM_CACHE:-${HOME}/.cache/facenorm}
dest_dir=${cache_root}/dlib
dest=${dest_dir}/${NAME}

die() {
  echo "fetch-dlib-model: error: $*" >&2
  exit 1
}

sha_of() {
  sha256sum "$1" | cut -d' ' -f1
}

for tool in apt-get dpkg-deb sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: this script needs a Debian-like system (apt-get, dpkg-deb)"
done

if [[ -f "$dest" ]]; then
  if [[ "$(sha_of "$dest")" == "$SHA256" ]]; then
    echo "$dest"
    exit 0
  fi
  echo "fetch-dlib-model: cached $dest has the wrong sha256; fetching it again" >&2
fi

mkdir -p "$dest_dir" || die "cannot create cache directory $dest_dir"
work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-dlib-model.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

download() {
  (cd "$work" && apt-get download "$PACKAGE") >"$work/apt.log" 2>&1
}

if ! download; then
  # The package lists may be missing or stale: refresh them once and try again.
  echo "fetch-dlib-model: 'apt-get download $PACKAGE' failed; running 'apt-get update' and retrying" >&2
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update >"$work/update.log" 2>&1 || die "apt-get update failed: $(tail -n 3 "$work/update.log")"
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update >"$work/update.log" 2>&1 || die "sudo apt-get update failed: $(tail -n 3 "$work/update.log")"
  else
    die "apt-get download $PACKAGE failed and apt-get update needs root: $(tail -n 3 "$work/apt.log")"
  fi
  download || die "apt-get download $PACKAGE failed: $(tail -n 3 "$work/apt.log")"
fi

shopt -s nullglob
debs=("$work"/${PACKAGE}_*.deb)
shopt -u nullglob
[[ ${#debs[@]} -eq 1 ]] || die "expected one ${PACKAGE}_*.deb in $work after apt-get download, found ${#debs[@]}"

dpkg-deb -x "${debs[0]}" "$work/root" || die "dpkg-deb -x failed on ${debs[0]##*/}"
extracted=$work/root/$PATH_IN_DEB
[[ -f "$extracted" ]] || die "${debs[0]##*/} has no /$PATH_IN_DEB"

actual=$(sha_of "$extracted")
[[ "$actual" == "$SHA256" ]] \
  || die "sha256 mismatch for /$PATH_IN_DEB in ${debs[0]##*/}: expected $SHA256, got $actual"

# Atomic: copy next to the destination (same file system), then rename over it.
tmp=$(mktemp "$dest_dir/.${NAME}.XXXXXX") || die "cannot create a temporary file in $dest_dir"
if ! cp "$extracted" "$tmp" || [[ "$(sha_of "$tmp")" != "$SHA256" ]]; then
  rm -f "$tmp"
  die "copy to $dest_dir failed or was corrupted (disk full?)"
fi
chmod 0644 "$tmp"
mv -f "$tmp" "$dest" || { rm -f "$tmp"; die "cannot move the model into place at $dest"; }

echo "$dest"
