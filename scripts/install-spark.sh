#!/usr/bin/env bash
# Installs an Apache Spark 4.0.1 (Scala 2.13) for facenorm-spark from Maven Central: there is no
# download of Spark's own tarball here, so this lays out the same kind of installation from the
# Maven artifacts (Spark SQL and everything its poms depend on, resolved by
# scripts/spark-distribution/pom.xml):
#   $FACENORM_SPARK_HOME/jars/*.jar    symlinks into the local Maven repository (~/.m2)
#   $FACENORM_SPARK_HOME/bin/spark-submit   java -cp 'conf:jars/*' org.apache.spark.deploy.SparkSubmit,
#                                       with Spark's own --add-opens list for Java 17
#   $FACENORM_SPARK_HOME/conf/log4j2.properties   quiet logs (WARN)
# It is enough for spark-submit in local[N] and local-cluster[N,C,MB] mode (executors in their own
# JVMs) and as a client of a cluster; it has none of Spark's sbin/ scripts (start a standalone
# cluster from a real Spark distribution of the same version).
# usage: scripts/install-spark.sh   (FACENORM_SPARK_HOME default ~/.cache/facenorm-spark/spark-4.0.1)
# env: MVNW_OPTS extra Maven options (e.g. -o once the jars are in ~/.m2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${FACENORM_SPARK_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/facenorm-spark/spark-4.0.1}"
echo "install-spark: resolving Spark 4.0.1's jars (Maven) ..." >&2
cpfile="$(mktemp /tmp/facenorm-spark-cp-XXXXXX)"
# shellcheck disable=SC2086 # MVNW_OPTS is a list of options
(cd "$root" && ./mvnw -q -B ${MVNW_OPTS:-} -f scripts/spark-distribution/pom.xml \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cpfile") >&2
mkdir -p "$(dirname "$home")"
tmp="$(mktemp -d "$(dirname "$home")/.install-XXXXXX")"
trap 'rm -rf "$tmp" "$cpfile"' EXIT
mkdir -p "$tmp/jars" "$tmp/bin" "$tmp/conf"
{ tr ':' '\n' <"$cpfile"; echo; } | while IFS= read -r jar; do
  [[ -n "$jar" ]] && ln -s "$jar" "$tmp/jars/$(basename "$jar")"
done
n="$(find "$tmp/jars" -name '*.jar' | wc -l)"
grep -q 'spark-core_2.13-4.0.1.jar' <(ls "$tmp/jars") || { echo "install-spark: spark-core 4.0.1 missing" >&2; exit 1; }
cat >"$tmp/bin/spark-submit" <<'SUBMIT'
#!/usr/bin/env bash
# spark-submit of the facenorm-spark Spark 4.0.1 layout (scripts/install-spark.sh): SparkSubmit
# in a JVM with Spark's Java 17 module options (org.apache.spark.launcher.JavaModuleOptions).
# As Spark's own scripts: SPARK_SUBMIT_OPTS are the driver JVM's options, SPARK_DIST_CLASSPATH is
# appended to the class path (of executors started by a local-cluster worker too).
set -euo pipefail
SPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPARK_HOME SPARK_SCALA_VERSION=2.13
# shellcheck disable=SC2086 # SPARK_SUBMIT_OPTS is a list of JVM options
exec java -Xmx"${SPARK_DRIVER_MEMORY:-2g}" ${SPARK_SUBMIT_OPTS:-} \
  -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*${SPARK_DIST_CLASSPATH:+:$SPARK_DIST_CLASSPATH}" \
  org.apache.spark.deploy.SparkSubmit "$@"
SUBMIT
chmod +x "$tmp/bin/spark-submit"
cat >"$tmp/conf/log4j2.properties" <<'LOG'
# Quiet Spark: warnings and errors; facenorm-spark prints its own progress and summary.
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoop.level = error
logger.nd4jfn.name = org.nd4j.autodiff.functions.DifferentialFunction
logger.nd4jfn.level = error
logger.nd4jimp.name = org.nd4j.imports.converters.ImportClassMapping
logger.nd4jimp.level = error
LOG
printf 'Spark 4.0.1 (Scala 2.13) from Maven Central jars, laid out by facenorm scripts/install-spark.sh\n' >"$tmp/RELEASE"
rm -rf "$home"
mv "$tmp" "$home"
rm -f "$cpfile"
trap - EXIT
echo "install-spark: $home ($n jars); run $home/bin/spark-submit or scripts/spark-submit.sh" >&2
echo "$home"
