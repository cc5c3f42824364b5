/**
 * Implementation details of {@code io.github.facenorm.models.face3d}: a minimal protobuf reader,
 * the facemesh tfjs graph evaluator, Procrustes and eigen solvers, and a triangle rasterizer. Not
 * an API: anything here may change without notice.
 */
package io.github.facenorm.models.face3d.internal;
