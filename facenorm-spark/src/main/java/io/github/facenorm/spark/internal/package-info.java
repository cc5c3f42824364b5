/** Executor-side pieces of the Spark jobs: model broadcast, per-JVM workers, thread budget. */
package io.github.facenorm.spark.internal;
