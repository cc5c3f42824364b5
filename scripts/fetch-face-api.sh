#!/usr/bin/env bash
# Fetches the face-api.js weights (MIT) that facenorm-models ports to SameDiff: the tfjs weight
# manifests and shards of the face-recognition ResNet, the 68-point landmark net and the tiny face
# detector, from the npm package @vladmandic/face-api@1.7.15. Uses npm's own client ('npm pack',
# the registry npm is configured with); nothing is installed. Checks the tarball's sha256 (the pin
# below) and every extracted file's sha256, then caches the files at
#   ${FACENORM_CACHE:-$HOME/.cache/facenorm}/face-api/1.7.15/
# Atomic: the files are assembled in a temporary directory next to the destination and renamed
# into place. Idempotent: a cached directory whose files all match is left alone.
# Prints the cached directory.
set -euo pipefail

readonly PACKAGE=@vladmandic/face-api
readonly VERSION=1.7.15
readonly TARBALL=vladmandic-face-api-${VERSION}.tgz
# sha256 of the tarball 'npm pack ${PACKAGE}@${VERSION}' produced on 2026-12-01.
readonly TARBALL_SHA256=0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031

# The files we need (package/model/<name>) and their sha256: the pins the Java side checks at
# load, from the one pin list in facenorm-core's resources.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly PINS="$here/../facenorm-core/src/main/resources/io/github/facenorm/core/models/pretrained-models.txt"
[[ -f "$PINS" ]] || { echo "fetch-face-api: error: pin list $PINS not found" >&2; exit 1; }
FILES=()
while read -r _name version script sha path; do
  [[ "$script" == scripts/fetch-face-api.sh ]] || continue
  [[ "$version" == "$VERSION" && "$path" == "face-api/$VERSION/"* ]] \
    || { echo "fetch-face-api: error: unexpected pin '$path' ($version) in $PINS" >&2; exit 1; }
  FILES+=("${path##*/} $sha")
done < <(grep -v '^[[:space:]]*#' "$PINS" | grep -v '^[[:space:]]*$')
[[ ${#FILES[@]} -gt 0 ]] || { echo "fetch-face-api: error: no face-api pins in $PINS" >&2; exit 1; }
readonly FILES

# The cache root, as the JVM finds it (io.github.facenorm.core.models.ModelStore): FACENORM_CACHE,
# else $HOME/.cache/facenorm. (A JVM started with -Dfacenorm.cache=DIR looks in DIR instead: run
# this script with FACENORM_CACHE=DIR then.)
cache_root=${FACENORM_CACHE:-${HOME}/.cache/facenorm}
parent=${cache_root}/face-api
dest=${parent}/${VERSION}

die() {
  echo "fetch-face-api: error: $*" >&2
  exit 1
}

sha_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# True when directory $1 holds every file with the right sha256.
complete() {
  local dir=$1 entry name sum
  [[ -d "$dir" ]] || return 1
  for entry in "${FILES[@]}"; do
    name=${entry% *}
    sum=${entry#* }
    [[ -f "$dir/$name" && "$(sha_of "$dir/$name")" == "$sum" ]] || return 1
  done
}

for tool in npm tar sha256sum mktemp; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found on PATH (npm comes with Node.js)"
done

if complete "$dest"; then
  echo "$dest"
  exit 0
fi
if [[ -e "$dest" ]]; then
  echo "fetch-face-api: $dest is incomplete or has wrong checksums; fetching again" >&2
fi

mkdir -p "$parent" || die "cannot create cache directory $parent"
work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-face-api.XXXXXX") || die "cannot create a temporary directory"
staging=""
cleanup() {
  rm -rf "$work"
  if [[ -n "$staging" ]]; then rm -rf "$staging"; fi
}
trap cleanup EXIT

if ! (cd "$work" && npm pack --silent "${PACKAGE}@${VERSION}") >"$work/npm.log" 2>&1; then
  die "'npm pack ${PACKAGE}@${VERSION}' failed (offline or no registry configured?): $(tail -n 5 "$work/npm.log")"
fi
[[ -f "$work/$TARBALL" ]] || die "npm pack did not produce $TARBALL in $work: $(tail -n 5 "$work/npm.log")"

actual=$(sha_of "$work/$TARBALL")
[[ "$actual" == "$TARBALL_SHA256" ]] \
  || die "sha256 mismatch for $TARBALL: expected $TARBALL_SHA256, got $actual (the registry served a different tarball)"

members=()
for entry in "${FILES[@]}"; do
  members+=("package/model/${entry% *}")
done
mkdir -p "$work/x"
tar -xzf "$work/$TARBALL" -C "$work/x" "${members[@]}" \
  || die "cannot extract ${members[*]} from $TARBALL"

# Same file system as the destination, so the final rename is atomic.
staging=$(mktemp -d "$parent/.${VERSION}.XXXXXX") || die "cannot create a staging directory in $parent"
for entry in "${FILES[@]}"; do
  name=${entry% *}
  cp "$work/x/package/model/$name" "$staging/$name" || die "copy of $name to $staging failed (disk full?)"
  chmod 0644 "$staging/$name"
done
complete "$staging" || die "extracted files do not match their pinned sha256 (corrupt tarball or copy)"
chmod 0755 "$staging"

if [[ -e "$dest" ]]; then
  old="$parent/.${VERSION}.old.$$"
  mv "$dest" "$old" || die "cannot move the stale $dest aside"
  mv "$staging" "$dest" || { mv "$old" "$dest"; die "cannot move the weights into place at $dest"; }
  rm -rf "$old"
else
  mv "$staging" "$dest" || die "cannot move the weights into place at $dest"
fi
staging=""

echo "$dest"
