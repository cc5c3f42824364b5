/** The CPU-backend executioner that runs the warp's Java ops inside SameDiff graphs. */
package io.github.facenorm.warp.internal.cpu;
