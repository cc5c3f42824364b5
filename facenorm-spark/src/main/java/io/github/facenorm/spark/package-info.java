/**
 * facenorm on Apache Spark: {@link io.github.facenorm.spark.FacenormSpark#normalize} maps the
 * normalizer over photo rows (to Parquet), {@link io.github.facenorm.spark.FacenormSpark#augment}
 * spreads the training-set writer's shards over the executors, and {@link
 * io.github.facenorm.spark.Main} is the {@code spark-submit} entry point. Spark is provided by the
 * cluster (4.0, Scala 2.13, Java 17).
 */
package io.github.facenorm.spark;
