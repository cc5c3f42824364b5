/**
 * Evaluation of face nets on face-verification benchmarks: LFW-style pair lists ({@link
 * io.github.facenorm.models.eval.LfwPairs}), the photos they name ({@link
 * io.github.facenorm.models.eval.PhotoId}), describing the subject of each photo once ({@link
 * io.github.facenorm.models.eval.SubjectDescriber}, over core's detector, landmark and encoder
 * interfaces through face-api's pipeline) and same/different-person accuracy at a distance
 * threshold ({@link io.github.facenorm.models.eval.PairVerification}, results in {@link
 * io.github.facenorm.models.eval.VerificationResult}).
 *
 * <p>Convention: two photos are called the same person when the Euclidean distance of their
 * descriptors is strictly below the threshold (dlib's and face-api's 0.6 for the 128-D descriptor).
 */
package io.github.facenorm.models.eval;
