package io.github.facenorm.models.train;

import io.github.facenorm.models.nets.FaceRecognitionNet;
import io.github.facenorm.models.normalize.FaceChip;
import io.github.facenorm.models.normalize.ModelConfig;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The paper's losses (Sec. 3.3) as SameDiff graph builders; each returns a weighted scalar that can
 * be summed with the others, switched off (leave it out) or reweighted. Paper weights: texture
 * {@value #TEXTURE_WEIGHT}, landmarks {@value #LANDMARK_WEIGHT}, identity {@value
 * #IDENTITY_WEIGHT}.
 */
public final class Losses {

  /** The paper's weight of the texture MAE. */
  public static final double TEXTURE_WEIGHT = 100;

  /** The paper's weight of the landmark MSE. */
  public static final double LANDMARK_WEIGHT = 1;

  /** The paper's weight of the identity loss. */
  public static final double IDENTITY_WEIGHT = 10;

  private Losses() {}

  /**
   * {@code w · mean |T − T*|} over every pixel and channel.
   *
   * @param sd the graph
   * @param predicted texture {@code [B, S, S, 3]}
   * @param target target texture, same shape
   * @param weight {@code w}
   * @return scalar
   */
  public static SDVariable textureMae(
      SameDiff sd, SDVariable predicted, SDVariable target, double weight) {
    check(predicted, target);
    return sd.math().abs(predicted.sub(target)).mean().mul(weight);
  }

  /**
   * {@code w · mean (L − L*)²} over every point coordinate (pixels²).
   *
   * @param sd the graph
   * @param predicted landmarks {@code [B, 68, 2]}
   * @param target target landmarks, same shape
   * @param weight {@code w}
   * @return scalar
   */
  public static SDVariable landmarkMse(
      SameDiff sd, SDVariable predicted, SDVariable target, double weight) {
    check(predicted, target);
    return sd.math().squaredDifference(predicted, target).mean().mul(weight);
  }

  /**
   * {@code −w · mean cos(e, e*)}: negative cosine similarity of two embeddings per sample, e.g. the
   * recognition net's descriptors of the input photo and of the rendered output (paper Eq. 1's
   * identity term).
   *
   * @param sd the graph
   * @param embedding {@code [B, d]}
   * @param target {@code [B, d]}
   * @param weight {@code w}
   * @return scalar
   */
  public static SDVariable identityCosine(
      SameDiff sd, SDVariable embedding, SDVariable target, double weight) {
    check(embedding, target);
    SDVariable dot = embedding.mul(target).sum(1);
    SDVariable norms = embedding.norm2(1).mul(target.norm2(1)).add(1e-12);
    return dot.div(norms).mean().mul(-weight);
  }

  /**
   * The paper's identity loss through the frozen recognition net: the rendered frames are cut to
   * {@link FaceChip}s inside the graph ({@link FaceChip#resample}), embedded by the net (its
   * weights are graph constants: no gradient reaches them, they never change) and compared with the
   * input photos' descriptors by {@link #identityCosine(SameDiff, SDVariable, SDVariable, double)}.
   *
   * @param sd the graph
   * @param net the recognition net
   * @param frames rendered faces {@code [B, S, S, 3]} in (0, 1), in {@code config}'s geometry
   * @param config the model's frame geometry
   * @param targetDescriptors the input photos' descriptors {@code [B, 128]}
   * @param weight {@code w}
   * @return scalar
   */
  public static SDVariable identityCosine(
      SameDiff sd,
      FaceRecognitionNet net,
      SDVariable frames,
      ModelConfig config,
      SDVariable targetDescriptors,
      double weight) {
    Objects.requireNonNull(net, "net");
    SDVariable chips = FaceChip.resample(sd, frames, config).mul(255.0);
    SDVariable embedding = net.build(sd, "identityNet", chips).embedding();
    return identityCosine(sd, embedding, targetDescriptors, weight);
  }

  private static void check(SDVariable a, SDVariable b) {
    Objects.requireNonNull(a, "predicted");
    Objects.requireNonNull(b, "target");
  }
}
