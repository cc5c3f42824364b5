package io.github.facenorm.core;

/**
 * Maps a face to an identity embedding: photos of one person land close together.
 *
 * <p>In facenorm, the face-recognition ResNet ported from face-api.js (dlib's, 128-D output, 150 ×
 * 150 input) implements this in {@code facenorm-models}. Implementations are thread-safe.
 */
public interface FaceEncoder {

  /**
   * Number of values in each embedding.
   *
   * @return the embedding length
   */
  int dimension();

  /**
   * Encodes a face. The image is expected to be an aligned face crop as the encoder documents
   * (size, margins); implementations resize when they must.
   *
   * @param face the face, {@code [H, W, 3]}
   * @return the embedding, length {@link #dimension()}
   */
  float[] encode(FaceImage face);
}
