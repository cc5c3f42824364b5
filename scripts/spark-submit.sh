#!/usr/bin/env bash
# Runs a facenorm-spark job (io.github.facenorm.spark.Main normalize|augment ...) with spark-submit
# of the Spark installed by scripts/install-spark.sh (installed on first use; facenorm-spark is
# built with ./mvnw package, nothing installed into ~/.m2, when a source is newer). The job's jars (facenorm, ND4J and its natives, from
# facenorm-spark/target/classpath.txt) go on the driver's class path through SPARK_DIST_CLASSPATH
# and on the executors' through spark.executor.extraClassPath: on a cluster every node needs them at
# the same paths (a shared file system).
#   scripts/spark-submit.sh normalize ../shared/data/lfw-devtrain --out out/lfw.parquet
#   FACENORM_SPARK_MASTER='local-cluster[2,1,3072]' scripts/spark-submit.sh normalize ...
# env:
#   FACENORM_SPARK_MASTER   --master (default local[*])
#   FACENORM_SPARK_HOME     the Spark installation (default ~/.cache/facenorm-spark/spark-4.0.1)
#   FACENORM_SPARK_OPTS     more spark-submit options (e.g. "--executor-memory 3g")
#   SPARK_DRIVER_MEMORY     driver heap (default 3g)
#   FACENORM_ND4J_EXTENSION as for scripts/facenorm: -onednn-avx2 when the CPU has AVX2, else generic
#   MVNW_OPTS               extra Maven options for the build (e.g. -o)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${FACENORM_SPARK_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/facenorm-spark/spark-4.0.1}"
target="$root/facenorm-spark/target"
jar="$(ls "$target"/facenorm-spark-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc' | head -1 || true)"
stamp="$target/.spark-built"
if [[ -z "$jar" || ! -f "$stamp" ]] \
   || [[ -n "$(find "$root" -path '*/src/main/*' -newer "$stamp" -print -quit 2>/dev/null)" ]] \
   || [[ -n "$(find "$root" -name pom.xml -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
  echo "facenorm-spark: building facenorm-spark ..." >&2
  # shellcheck disable=SC2086 # MVNW_OPTS is a list of options
  (cd "$root" && ./mvnw -q -B ${MVNW_OPTS:-} package -DskipTests -Dmaven.javadoc.skip=true \
      -Dmaven.source.skip=true -pl facenorm-spark -am) >&2
  touch "$stamp"
  jar="$(ls "$target"/facenorm-spark-*.jar | grep -v -- '-sources\|-javadoc' | head -1)"
fi
if [[ ! -x "$home/bin/spark-submit" ]]; then
  FACENORM_SPARK_HOME="$home" "$root/scripts/install-spark.sh" >/dev/null
fi
if [[ -z "${FACENORM_ND4J_EXTENSION+set}" ]]; then
  FACENORM_ND4J_EXTENSION=""
  if grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
    FACENORM_ND4J_EXTENSION="-onednn-avx2"
  fi
fi
# The job's jars minus every artifact Spark has (in any version: Spark's wins), so no class is
# there twice; keyed by the Maven repository folder <group>/<artifact>.
spark_artifacts="$(cd "$home/jars" && for j in *.jar; do dirname "$(dirname "$(readlink -f "$j")")"; done | sort -u)"
cp="$({ tr ':' '\n' <"$target/classpath.txt"; echo; } | while IFS= read -r j; do
  [[ -z "$j" ]] || grep -qxF "$(dirname "$(dirname "$j")")" <<<"$spark_artifacts" || printf '%s\n' "$j"
done | paste -sd:)"
java_opts="-Xss4m"
if [[ -n "$FACENORM_ND4J_EXTENSION" ]]; then
  java_opts="$java_opts -Dorg.bytedeco.javacpp.platform.extension=$FACENORM_ND4J_EXTENSION"
else
  cp="$(tr ':' '\n' <<<"$cp" | grep -v -- '-onednn-avx2\.jar$' | paste -sd:)"
fi
# ND4J's threads: no OpenBLAS threads of its own, passive OpenMP waits (as scripts/facenorm); the
# threads per op are set by facenorm-spark from the cores each executor's tasks share.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" \
       OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
master="${FACENORM_SPARK_MASTER:-local[*]}"
if [[ "$master" == local* ]]; then
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" # one machine: no "resolves to a loopback" warning
fi
export SPARK_DRIVER_MEMORY="${SPARK_DRIVER_MEMORY:-3g}" SPARK_DIST_CLASSPATH="$cp" \
       SPARK_SUBMIT_OPTS="${SPARK_SUBMIT_OPTS:-} $java_opts"
# shellcheck disable=SC2086 # FACENORM_SPARK_OPTS is a list of options
exec "$home/bin/spark-submit" \
  --master "$master" \
  --conf "spark.executor.extraClassPath=$cp" \
  --conf "spark.executor.extraJavaOptions=$java_opts" \
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 \
  --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE \
  --conf spark.ui.showConsoleProgress=false \
  ${FACENORM_SPARK_OPTS:-} \
  --class io.github.facenorm.spark.Main "$jar" "$@"
