/**
 * The spline warp for DeepLearning4J {@code ComputationGraph}s: {@link
 * io.github.facenorm.warp.dl4j.SplineWarpVertex}. Needs {@code deeplearning4j-nn} on the class path
 * (an optional dependency of facenorm-warp).
 */
package io.github.facenorm.warp.dl4j;
