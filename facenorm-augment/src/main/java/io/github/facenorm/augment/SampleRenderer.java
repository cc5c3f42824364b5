package io.github.facenorm.augment;

import io.github.facenorm.augment.internal.Seeds;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.warp.SplineWarp;
import java.util.SplittableRandom;

/**
 * Renders sample {@code i} of a dataset from its own random stream ({@link Seeds#of}): a random
 * morph (Sec. 5.1), a random background, the gradient-domain composite (Sec. 5.2), and the warp of
 * the composite from the mean shape to the morphed landmarks. Thread-safe.
 */
final class SampleRenderer {

  /**
   * The paper's warp ({@link FaceDecomposition#PAPER_WARP}) on one thread: the writer already runs
   * one sample per worker thread.
   */
  private static final SplineWarp WARP =
      SplineWarp.builder().order(1).boundaryPoints(2).threads(1).build();

  private final FaceSet faces;
  private final RandomMorph morph;
  private final GradientDomainCompositor.Plan plan;
  private final long seed;

  SampleRenderer(FaceSet faces, RandomMorph morph, GradientDomainCompositor.Plan plan, long seed) {
    this.faces = faces;
    this.morph = morph;
    this.plan = plan;
    this.seed = seed;
  }

  AugmentedSample render(long index) {
    SplittableRandom r = new SplittableRandom(Seeds.of(seed, index));
    RandomMorph.Sample s = morph.sample(r);
    int bg = r.nextInt(faces.backgroundCount());
    FaceImage bgTex = faces.background(bg);
    int w = bgTex.width();
    int h = bgTex.height();
    FaceImage composite = FaceImage.of(w, h, plan.compositeArray(s.morph().texture(), bgTex, null));
    FaceImage image =
        FaceDecomposition.compose(composite, s.morph().landmarks(), faces.meanShape(), WARP);
    return new AugmentedSample(
        index,
        s.a(),
        s.b(),
        bg,
        s.morph().idA(),
        s.morph().idB(),
        s.morph().landmarkWeight(),
        s.morph().textureWeight(),
        s.morph().landmarks(),
        w,
        h,
        image.toRgb8(),
        composite.toRgb8());
  }
}
