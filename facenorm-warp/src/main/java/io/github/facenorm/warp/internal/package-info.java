/**
 * Implementation of {@code io.github.facenorm.warp}: the fused multi-threaded kernels, the
 * double-precision solver and argument checks. Not a public API; may change without notice.
 */
package io.github.facenorm.warp.internal;
