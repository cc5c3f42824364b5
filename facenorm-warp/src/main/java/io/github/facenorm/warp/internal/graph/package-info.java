/**
 * The warp's SameDiff ops whose kernels are Java code (the same fused kernels as the eager path,
 * and hand-written adjoints), and the fallback composition of native ops.
 */
package io.github.facenorm.warp.internal.graph;
