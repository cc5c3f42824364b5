package io.github.facenorm.warp;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output of an eager {@link SplineWarp#apply}.
 *
 * @param image the warped image {@code [B, H, W, C]}, in the input image's data type
 * @param flow the dense flow {@code [B, H, W, 2]} that produced it, components in the warp's {@link
 *     PointOrder}: output pixel {@code p} was read from the input at {@code p − flow(p)}
 */
public record WarpResult(INDArray image, INDArray flow) {}
