package io.github.facenorm.warp.internal.graph;

/** Marks an ND4J executioner that runs {@link JavaOp}s (the CPU one, or a future CUDA one). */
public interface JavaOpExecutioner {}
