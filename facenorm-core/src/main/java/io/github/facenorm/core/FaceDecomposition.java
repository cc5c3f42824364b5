package io.github.facenorm.core;

import io.github.facenorm.core.internal.Limits;
import io.github.facenorm.core.internal.Resample;
import io.github.facenorm.warp.SplineWarp;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An aligned face split, as in an active appearance model (paper Sec. 2.2), into a texture {@code
 * T} (the face warped so its landmarks sit on the mean landmarks {@code L̄}) and its landmarks
 * {@code L}. {@link #compose} reverses it: {@code T} warped from {@code L̄} back to {@code L}.
 *
 * <p>The warp is the paper's: a polyharmonic spline of order 1 with 2 boundary points per edge
 * ({@link #PAPER_WARP}), control points {@code (x, y)} as in {@link
 * io.github.facenorm.warp.PointOrder#XY}. Landmarks whose target positions lie within {@link
 * #MIN_SEPARATION} of each other (the inner lips of a closed mouth) are merged into one control
 * point, since coinciding targets make the spline singular. The round trip is not exactly the
 * identity (the inverse of a spline warp is not a spline warp), but it is close inside the face,
 * where the control points are.
 *
 * @param texture {@code T}, {@code [H, W, 3]}, the size of the aligned crop
 * @param landmarks {@code L}, the face's landmarks in crop coordinates
 */
public record FaceDecomposition(FaceImage texture, Landmarks landmarks) {

  /**
   * Control points whose target positions are closer than this (pixels) are merged into one at
   * their mean before warping.
   */
  public static final double MIN_SEPARATION = 0.5;

  /** The paper's warp: order 1, λ = 0, 2 boundary points per edge. */
  public static final SplineWarp PAPER_WARP =
      SplineWarp.builder().order(1).boundaryPoints(2).build();

  /**
   * Checks that no component is null.
   *
   * @param texture {@code T}
   * @param landmarks {@code L}
   */
  public FaceDecomposition {
    Objects.requireNonNull(texture, "texture");
    Objects.requireNonNull(landmarks, "landmarks");
  }

  /**
   * Decomposes an aligned face with the paper's warp.
   *
   * @param aligned the aligned face
   * @param meanShape {@code L̄}, in the same crop coordinates
   * @return {@code T} and {@code L}
   * @throws IllegalArgumentException if the spline is singular (e.g. two mean landmarks coincide)
   */
  public static FaceDecomposition decompose(AlignedFace aligned, MeanShape meanShape) {
    Objects.requireNonNull(aligned, "aligned");
    return decompose(aligned.image(), aligned.landmarks(), meanShape, PAPER_WARP);
  }

  /**
   * Decomposes a face image with a given warp.
   *
   * @param image the aligned image, {@code [H, W, 3]}, {@code H, W ≥ 2}
   * @param landmarks its landmarks {@code L}
   * @param meanShape {@code L̄}
   * @param warp the spline warp (its point order must be XY)
   * @return {@code T} (the image warped so {@code L → L̄}) and {@code L}
   */
  public static FaceDecomposition decompose(
      FaceImage image, Landmarks landmarks, MeanShape meanShape, SplineWarp warp) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(landmarks, "landmarks");
    Objects.requireNonNull(meanShape, "meanShape");
    return new FaceDecomposition(warp(image, landmarks, meanShape.landmarks(), warp), landmarks);
  }

  /**
   * Reassembles a face: {@code T} warped so that {@code L̄ → L}, with the paper's warp.
   *
   * @param texture {@code T}, {@code [H, W, 3]}
   * @param landmarks {@code L}
   * @param meanShape {@code L̄}
   * @return the face image, {@code [H, W, 3]}
   */
  public static FaceImage compose(FaceImage texture, Landmarks landmarks, MeanShape meanShape) {
    return compose(texture, landmarks, meanShape, PAPER_WARP);
  }

  /**
   * Reassembles a face with a given warp.
   *
   * @param texture {@code T}, {@code [H, W, 3]}
   * @param landmarks {@code L}
   * @param meanShape {@code L̄}
   * @param warp the spline warp (its point order must be XY)
   * @return the face image, {@code [H, W, 3]}
   */
  public static FaceImage compose(
      FaceImage texture, Landmarks landmarks, MeanShape meanShape, SplineWarp warp) {
    Objects.requireNonNull(texture, "texture");
    Objects.requireNonNull(landmarks, "landmarks");
    Objects.requireNonNull(meanShape, "meanShape");
    return warp(texture, meanShape.landmarks(), landmarks, warp);
  }

  /**
   * This decomposition reassembled with the paper's warp.
   *
   * @param meanShape the {@code L̄} it was decomposed with
   * @return the face image
   */
  public FaceImage compose(MeanShape meanShape) {
    return compose(texture, landmarks, meanShape);
  }

  private static FaceImage warp(FaceImage image, Landmarks from, Landmarks to, SplineWarp warp) {
    Objects.requireNonNull(warp, "warp");
    if (warp.pointOrder() != io.github.facenorm.warp.PointOrder.XY) {
      throw new IllegalArgumentException(
          "warp: expected PointOrder.XY (landmarks are (x, y)), got " + warp.pointOrder());
    }
    if (image.width() < 2 || image.height() < 2) {
      throw new IllegalArgumentException(
          "image: expected at least 2 × 2 pixels, got " + image.width() + " × " + image.height());
    }
    Limits.checkSplinePoints("warp", Landmarks.COUNT, warp.boundaryPoints());
    checkInside("landmarks (from)", from, image);
    checkInside("landmarks (to)", to, image);
    // Closed mouths put inner-lip points (61/67, 62/66, 63/65) on top of each other: coinciding
    // dest points make the spline singular and nearly coinciding ones make it fold, so merge them.
    double[] f = from.toFlatArray();
    double[] t = to.toFlatArray();
    double[] fs = new double[f.length];
    double[] ts = new double[t.length];
    int[] weight = new int[Landmarks.COUNT];
    int n = 0;
    double min2 = MIN_SEPARATION * MIN_SEPARATION;
    for (int i = 0; i < Landmarks.COUNT; i++) {
      int j = 0;
      while (j < n) {
        double dx = t[2 * i] - ts[2 * j] / weight[j];
        double dy = t[2 * i + 1] - ts[2 * j + 1] / weight[j];
        if (dx * dx + dy * dy < min2) {
          break;
        }
        j++;
      }
      if (j == n) {
        n++;
      }
      fs[2 * j] += f[2 * i];
      fs[2 * j + 1] += f[2 * i + 1];
      ts[2 * j] += t[2 * i];
      ts[2 * j + 1] += t[2 * i + 1];
      weight[j]++;
    }
    double[] srcPts = new double[2 * n];
    double[] dstPts = new double[2 * n];
    for (int j = 0; j < n; j++) {
      srcPts[2 * j] = fs[2 * j] / weight[j];
      srcPts[2 * j + 1] = fs[2 * j + 1] / weight[j];
      dstPts[2 * j] = ts[2 * j] / weight[j];
      dstPts[2 * j + 1] = ts[2 * j + 1] / weight[j];
    }
    INDArray src = Nd4j.createFromArray(srcPts).reshape(1, n, 2);
    INDArray dst = Nd4j.createFromArray(dstPts).reshape(1, n, 2);
    INDArray out = warp.apply(image.toINDArray(), src, dst).image();
    float[] v = out.castTo(DataType.FLOAT).reshape('c', new long[] {out.length()}).toFloatVector();
    for (int i = 0; i < v.length; i++) {
      v[i] = Resample.clamp01(v[i]);
    }
    return FaceImage.of(image.width(), image.height(), v);
  }

  /**
   * Refuses points far outside the image (beyond one image size past any edge): they are not
   * landmarks of this image, and the spline would fail on them with a misleading message.
   */
  private static void checkInside(String what, Landmarks l, FaceImage image) {
    double w = image.width();
    double h = image.height();
    for (int i = 0; i < Landmarks.COUNT; i++) {
      double x = l.x(i);
      double y = l.y(i);
      if (x < -w || x > 2 * w || y < -h || y > 2 * h) {
        throw new IllegalArgumentException(
            String.format(
                java.util.Locale.ROOT,
                "%s: point %d (%s, %s) is far outside the %d × %d image (accepted: x in [%d, %d],"
                    + " y in [%d, %d])",
                what,
                i,
                x,
                y,
                image.width(),
                image.height(),
                -image.width(),
                2 * image.width(),
                -image.height(),
                2 * image.height()));
      }
    }
  }
}
