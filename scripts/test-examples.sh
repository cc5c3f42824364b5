#!/usr/bin/env bash
# Builds and tests examples/ (a project of your own that uses facenorm) the way a user would: first
# `./mvnw install` of facenorm into a Maven repository, then examples/'s own build against it.
#   scripts/test-examples.sh                      # installs into ~/.m2/repository
#   M2_REPO=/path/to/repo scripts/test-examples.sh  # into another local repository
#   MVNW_OPTS=-o scripts/test-examples.sh            # extra Maven options (here: offline)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mvn_opts=()
# shellcheck disable=SC2206 # MVNW_OPTS is a list of options
mvn_opts+=(${MVNW_OPTS:-})
if [[ -n "${M2_REPO:-}" ]]; then
  mvn_opts+=("-Dmaven.repo.local=$M2_REPO")
fi
cd "$root"
echo "test-examples: ./mvnw install (facenorm, no tests) ${mvn_opts[*]}" >&2
./mvnw -q -B "${mvn_opts[@]}" install -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -pl facenorm-bom,facenorm-models -am
echo "test-examples: building and testing examples/" >&2
./mvnw -q -B "${mvn_opts[@]}" -f examples/pom.xml verify
echo "test-examples: ok" >&2
