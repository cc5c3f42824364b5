#!/usr/bin/env bash
# Regenerates src/test/resources/dlib/dlib_landmarks.csv: dlib's own landmarks on real photos.
#
# Needs: Debian's libdlib-dev (apt-get install -y libdlib-dev g++ pkg-config libjpeg-dev
# libopenblas-dev liblapack-dev), the model (scripts/fetch-dlib-model.sh), the photos in
# ${FACENORM_SHARED:-<repo>/../shared}/data, and a built facenorm-core (mvn -o -pl facenorm-core install).
#
# 1. Java (GoldenInputs) decodes each photo in golden_images.txt with FaceImage.read and writes
#    its pixels as a lossless PNG: the C++ side reads those PNGs (libpng, exact), so both sides see
#    identical pixels and the JPEG decoders (ImageIO vs libjpeg) cannot differ. The CSV records
#    the MD5 of the RGB bytes dlib saw; the Java test checks that its own decode has that MD5.
# 2. dlib_landmarks.cpp runs dlib's HOG detector and shape predictor on them (see its header).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../../.." && pwd)
repo=$(cd "$module/.." && pwd)
shared=${FACENORM_SHARED:-$repo/../shared}
model=$("$repo/scripts/fetch-dlib-model.sh")
work=$(mktemp -d "${TMPDIR:-/tmp}/facenorm-goldens.XXXXXX")
trap 'rm -rf "$work"' EXIT

g++ -O2 -std=c++14 -o "$work/dlib_landmarks" "$here/dlib_landmarks.cpp" $(pkg-config --cflags --libs dlib-1)

(cd "$repo" && mvn -o -q -B -pl facenorm-core test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test)
java -cp "$module/target/classes:$module/target/test-classes:$(cat "$work/cp.txt")" \
  io.github.facenorm.core.dlib.GoldenInputs "$shared" "$here/golden_images.txt" "$work/png"

out=$module/src/test/resources/dlib/dlib_landmarks.csv
"$work/dlib_landmarks" "$model" "$work/png/manifest.tsv" > "$work/goldens.csv"
mv "$work/goldens.csv" "$out"
echo "wrote $out ($(($(wc -l < "$out") - 1)) faces)"
