package io.github.facenorm.models.train;

import io.github.facenorm.augment.FaceSet;
import io.github.facenorm.augment.IdentityAverager;
import io.github.facenorm.augment.MorphFace;
import io.github.facenorm.core.AlignedFace;
import io.github.facenorm.core.FaceDecomposition;
import io.github.facenorm.core.FaceImage;
import io.github.facenorm.core.Landmarks;
import io.github.facenorm.core.MeanShape;
import io.github.facenorm.core.SimilarityTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stage two of training: the normalized targets (paper Sec. 6.2) and the (input, target) pairs.
 *
 * <p>A person of a photo collection gets a target when at least {@link TargetRule#minPhotos} of
 * their photos pass the target filters (|yaw| ≤ {@link TargetRule#maxYaw}, sharp, in colour, and
 * neutral where required): those photos are averaged by {@link IdentityAverager}. A person of a
 * studio collection needs one passing photo. Every readable photo of a person with a target is a
 * training input (its recognition-net features), paired with that target: the net learns to map any
 * photo of the person to the person's normalized face. Targets are decomposed into a texture in the
 * mean geometry of all training targets and their landmarks.
 *
 * <p>Persons are split into training and validation by a stable rule (every {@code k}-th person in
 * sorted order), so no identity is in both.
 */
public final class TrainingData {

  /**
   * Which photos may become targets.
   *
   * @param maxYaw largest |yaw| in degrees
   * @param requireNeutral whether the expression filter must pass (studio photos always need it)
   * @param minPhotos fewest passing photos to average, for non-studio collections
   * @param validationEvery every this-many-th person (sorted) is held out for validation
   */
  public record TargetRule(
      double maxYaw, boolean requireNeutral, int minPhotos, int validationEvery) {
    /** The rule of the shipped model. */
    public static final TargetRule DEFAULT = new TargetRule(12, false, 3, 12);

    /** Checks the values. */
    public TargetRule {
      if (!(maxYaw > 0) || minPhotos < 1 || validationEvery < 2) {
        throw new IllegalArgumentException(
            "rule: expected maxYaw > 0, minPhotos ≥ 1, validationEvery ≥ 2, got " + this);
      }
    }
  }

  final Landmarks meanLandmarks;
  final int size;
  final float[][] textures; // [T][S*S*3]
  final float[][] landmarks; // [T][136]
  final List<String> targetPersons;
  final int[] sampleTarget; // [N]
  final float[][] sampleFeatures; // [N][256]
  final float[][] sampleDescriptors; // [N][128]
  final List<String> samplePhotos;
  final boolean[] sampleValidation;
  final int averagedIdentities;
  final int studioIdentities;
  final int minPhotos;
  final boolean[] validationTarget;
  final AugmentedExamples augmented; // null, or samples [photoSamples, N) with their own targets
  final int photoSamples;

  private TrainingData(
      Landmarks meanLandmarks,
      int size,
      float[][] textures,
      float[][] landmarks,
      List<String> targetPersons,
      int[] sampleTarget,
      float[][] sampleFeatures,
      float[][] sampleDescriptors,
      List<String> samplePhotos,
      boolean[] sampleValidation,
      int averaged,
      int studio,
      int minPhotos) {
    this(
        meanLandmarks,
        size,
        textures,
        landmarks,
        targetPersons,
        sampleTarget,
        sampleFeatures,
        sampleDescriptors,
        samplePhotos,
        sampleValidation,
        averaged,
        studio,
        minPhotos,
        null);
  }

  private TrainingData(
      Landmarks meanLandmarks,
      int size,
      float[][] textures,
      float[][] landmarks,
      List<String> targetPersons,
      int[] sampleTarget,
      float[][] sampleFeatures,
      float[][] sampleDescriptors,
      List<String> samplePhotos,
      boolean[] sampleValidation,
      int averaged,
      int studio,
      int minPhotos,
      AugmentedExamples augmented) {
    this.meanLandmarks = meanLandmarks;
    this.size = size;
    this.textures = textures;
    this.landmarks = landmarks;
    this.targetPersons = targetPersons;
    this.sampleTarget = sampleTarget;
    this.sampleFeatures = sampleFeatures;
    this.sampleDescriptors = sampleDescriptors;
    this.samplePhotos = samplePhotos;
    this.sampleValidation = sampleValidation;
    this.averagedIdentities = averaged;
    this.studioIdentities = studio;
    this.minPhotos = minPhotos;
    this.validationTarget = new boolean[targetPersons.size()];
    this.augmented = augmented;
    this.photoSamples = sampleTarget.length - (augmented == null ? 0 : augmented.count());
    for (int i = 0; i < photoSamples; i++) {
      validationTarget[sampleTarget[i]] = sampleValidation[i];
    }
  }

  /**
   * This data plus the samples of an augment dataset as training examples (never validation ones),
   * each with its own target texture and landmarks (paper Sec. 5). The dataset must have been made
   * from this data's training identities ({@code facenorm augment} on the same photos and rule):
   * its textures are in the geometry of this data's mean shape, and a validation person must never
   * be morphed into training samples.
   *
   * @param examples the augment dataset's examples
   * @return the combined data
   * @throws IllegalArgumentException if the frame size differs, a sample comes from a face that is
   *     not a training identity here, or examples were already added
   */
  public TrainingData withAugmented(AugmentedExamples examples) {
    Objects.requireNonNull(examples, "examples");
    if (augmented != null) {
      throw new IllegalArgumentException("data: augment examples were already added");
    }
    if (examples.size() != size) {
      throw new IllegalArgumentException(
          examples.dataset()
              + ": samples are "
              + examples.size()
              + " px, the model's frame is "
              + size
              + " px: run facenorm augment with --size "
              + size);
    }
    java.util.Set<String> training = new java.util.HashSet<>(trainingPersons());
    for (String id : examples.identities()) {
      if (!training.contains(id)) {
        throw new IllegalArgumentException(
            examples.dataset()
                + ": made from face "
                + id
                + ", which is not a training identity of this data ("
                + (targetPersons.contains(id) ? "a validation person" : "unknown here")
                + "): run facenorm augment on the same --data/--studio photos and filters as train");
      }
    }
    int n = sampleTarget.length;
    int a = examples.count();
    int[] target = Arrays.copyOf(sampleTarget, n + a);
    Arrays.fill(target, n, n + a, -1);
    float[][] feats = Arrays.copyOf(sampleFeatures, n + a);
    float[][] descs = Arrays.copyOf(sampleDescriptors, n + a);
    System.arraycopy(examples.features, 0, feats, n, a);
    System.arraycopy(examples.descriptors, 0, descs, n, a);
    List<String> names = new ArrayList<>(samplePhotos);
    for (int i = 0; i < a; i++) {
      names.add("augment/" + i);
    }
    boolean[] val = Arrays.copyOf(sampleValidation, n + a);
    return new TrainingData(
        meanLandmarks,
        size,
        textures,
        landmarks,
        targetPersons,
        target,
        feats,
        descs,
        List.copyOf(names),
        val,
        averagedIdentities,
        studioIdentities,
        minPhotos,
        examples);
  }

  /**
   * Copies sample {@code k}'s target into batch arrays.
   *
   * @param k the sample
   * @param texture {@code [.., S, S, 3]} in {@code [0, 1]}, written at {@code texOffset}
   * @param texOffset where the texture goes
   * @param lms {@code [.., 68, 2]}, written at {@code lmOffset}
   * @param lmOffset where the landmarks go
   */
  void copyTarget(int k, float[] texture, int texOffset, float[] lms, int lmOffset) {
    int t = sampleTarget[k];
    if (t >= 0) {
      System.arraycopy(textures[t], 0, texture, texOffset, textures[t].length);
      System.arraycopy(landmarks[t], 0, lms, lmOffset, 136);
      return;
    }
    int i = k - photoSamples;
    byte[] b = augmented.textures[i];
    for (int j = 0; j < b.length; j++) {
      texture[texOffset + j] = (b[j] & 0xFF) / 255f;
    }
    System.arraycopy(augmented.landmarks[i], 0, lms, lmOffset, 136);
  }

  /**
   * Builds targets and pairs from the photo cache.
   *
   * @param records the cached photos (one frame size)
   * @param rule the target rule
   * @param threads worker threads for averaging
   * @return the data
   */
  public static TrainingData build(List<PhotoRecord> records, TargetRule rule, int threads) {
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(rule, "rule");
    Map<String, List<PhotoRecord>> byPerson = new LinkedHashMap<>();
    for (PhotoRecord r : records) {
      byPerson.computeIfAbsent(r.person(), k -> new ArrayList<>()).add(r);
    }
    List<String> persons = new ArrayList<>(byPerson.keySet());
    persons.sort(null);
    List<String> chosen = new ArrayList<>();
    List<List<PhotoRecord>> chosenPhotos = new ArrayList<>();
    for (String p : persons) {
      List<PhotoRecord> photos = byPerson.get(p);
      boolean studio = photos.get(0).studio();
      List<PhotoRecord> pass =
          photos.stream()
              .filter(
                  r ->
                      Math.abs(r.yaw()) <= rule.maxYaw()
                          && r.sharp()
                          && r.colour()
                          && (r.neutral() || (!studio && !rule.requireNeutral())))
              .toList();
      if (pass.size() >= (studio ? 1 : rule.minPhotos())) {
        chosen.add(p);
        chosenPhotos.add(pass);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("data: no person has enough photos passing " + rule);
    }
    int size = records.get(0).frame().width();
    // Average each chosen person's passing photos (studio persons: average of their passing ones).
    List<IdentityAverager.AlignedAverage> averages = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<IdentityAverager.AlignedAverage>> jobs = new ArrayList<>();
      IdentityAverager averager = IdentityAverager.withMinPhotos(1);
      for (List<PhotoRecord> pass : chosenPhotos) {
        List<AlignedFace> faces =
            pass.stream()
                .map(r -> new AlignedFace(r.frame(), r.landmarks(), SimilarityTransform.IDENTITY))
                .toList();
        jobs.add(pool.submit(() -> averager.average(faces)));
      }
      for (Future<IdentityAverager.AlignedAverage> f : jobs) {
        averages.add(f.get());
      }
      MeanShape.Accumulator acc = MeanShape.accumulator();
      for (int t = 0; t < chosen.size(); t++) {
        if (!isValidation(t, rule)) {
          acc.add(averages.get(t).landmarks());
        }
      }
      MeanShape mean = acc.mean();
      List<Future<float[]>> tex = new ArrayList<>();
      for (IdentityAverager.AlignedAverage a : averages) {
        tex.add(
            pool.submit(
                () ->
                    FaceDecomposition.decompose(
                            a.image(), a.landmarks(), mean, FaceDecomposition.PAPER_WARP)
                        .texture()
                        .toArray()));
      }
      float[][] textures = new float[chosen.size()][];
      float[][] lms = new float[chosen.size()][];
      for (int t = 0; t < chosen.size(); t++) {
        textures[t] = tex.get(t).get();
        double[] xy = averages.get(t).landmarks().toFlatArray();
        lms[t] = new float[xy.length];
        for (int k = 0; k < xy.length; k++) {
          lms[t][k] = (float) xy[k];
        }
      }
      List<Integer> target = new ArrayList<>();
      List<float[]> feats = new ArrayList<>();
      List<float[]> descs = new ArrayList<>();
      List<String> names = new ArrayList<>();
      List<Boolean> val = new ArrayList<>();
      int averaged = 0;
      int studio = 0;
      for (int t = 0; t < chosen.size(); t++) {
        List<PhotoRecord> photos = byPerson.get(chosen.get(t));
        if (photos.get(0).studio()) {
          studio++;
        } else {
          averaged++;
        }
        for (PhotoRecord r : photos) {
          target.add(t);
          feats.add(r.features());
          descs.add(r.descriptor());
          names.add(r.person() + "/" + r.photo());
          val.add(isValidation(t, rule));
        }
      }
      boolean[] v = new boolean[val.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = val.get(i);
      }
      return new TrainingData(
          mean.landmarks(),
          size,
          textures,
          lms,
          List.copyOf(chosen),
          target.stream().mapToInt(Integer::intValue).toArray(),
          feats.toArray(new float[0][]),
          descs.toArray(new float[0][]),
          List.copyOf(names),
          v,
          averaged,
          studio,
          rule.minPhotos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while averaging", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("averaging failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean isValidation(int target, TargetRule rule) {
    return target % rule.validationEvery() == rule.validationEvery() - 1;
  }

  /**
   * The persons held out for validation: never seen in training, so evaluations on them measure
   * generalization.
   *
   * @return person ids ({@code <collection>/<folder>}), sorted
   */
  public List<String> validationPersons() {
    List<String> out = new ArrayList<>();
    for (int t = 0; t < targetPersons.size(); t++) {
      if (validationTarget[t]) {
        out.add(targetPersons.get(t));
      }
    }
    return out;
  }

  /**
   * The persons trained on.
   *
   * @return person ids ({@code <collection>/<folder>}), sorted
   */
  public List<String> trainingPersons() {
    List<String> out = new ArrayList<>();
    for (int t = 0; t < targetPersons.size(); t++) {
      if (!validationTarget[t]) {
        out.add(targetPersons.get(t));
      }
    }
    return out;
  }

  /** The sample indices of one split, in order. */
  int[] split(boolean validation) {
    return java.util.stream.IntStream.range(0, sampleTarget.length)
        .filter(i -> sampleValidation[i] == validation)
        .toArray();
  }

  /** Per-feature mean and standard deviation over the training split. */
  float[][] featureStats() {
    int[] train = split(false);
    int d = sampleFeatures[0].length;
    double[] mean = new double[d];
    double[] sq = new double[d];
    for (int i : train) {
      for (int k = 0; k < d; k++) {
        mean[k] += sampleFeatures[i][k];
      }
    }
    for (int k = 0; k < d; k++) {
      mean[k] /= train.length;
    }
    for (int i : train) {
      for (int k = 0; k < d; k++) {
        double e = sampleFeatures[i][k] - mean[k];
        sq[k] += e * e;
      }
    }
    float[] m = new float[d];
    float[] s = new float[d];
    for (int k = 0; k < d; k++) {
      m[k] = (float) mean[k];
      s[k] = (float) Math.max(1e-3, Math.sqrt(sq[k] / Math.max(1, train.length - 1)));
    }
    return new float[][] {m, s};
  }

  /**
   * The training identities as a face set for {@link io.github.facenorm.augment.AugmentJob} (paper
   * Sec. 5): every training target (never a validation person) as a {@link MorphFace} named by its
   * person, and as backgrounds the textures of up to {@code maxBackgrounds} real training photos
   * (evenly spaced over the photo order, so the choice is stable), decomposed onto the targets'
   * mean shape.
   *
   * @param records the photo cache this data was built from
   * @param maxBackgrounds at least 1
   * @param threads worker threads for decomposing backgrounds
   * @return the set; textures {@code [S, S, 3]} with {@code S} the frame size
   * @throws IllegalArgumentException if fewer than 2 training identities or no training photo
   */
  public FaceSet faceSet(List<PhotoRecord> records, int maxBackgrounds, int threads) {
    Objects.requireNonNull(records, "records");
    if (maxBackgrounds < 1) {
      throw new IllegalArgumentException(
          "maxBackgrounds: expected at least 1, got " + maxBackgrounds);
    }
    MeanShape mean = MeanShape.of(meanLandmarks, 1);
    List<MorphFace> faces = new ArrayList<>();
    for (int t = 0; t < targetPersons.size(); t++) {
      if (!validationTarget[t]) {
        faces.add(
            new MorphFace(
                targetPersons.get(t), FaceImage.of(size, size, textures[t]), targetLandmarks(t)));
      }
    }
    java.util.Set<String> training = new java.util.HashSet<>(trainingPersons());
    List<PhotoRecord> photos = records.stream().filter(r -> training.contains(r.person())).toList();
    if (photos.isEmpty()) {
      throw new IllegalArgumentException("records: no photo of a training person");
    }
    int n = Math.min(maxBackgrounds, photos.size());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<FaceImage>> jobs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        PhotoRecord r = photos.get((int) ((long) i * photos.size() / n));
        jobs.add(
            pool.submit(
                () ->
                    FaceDecomposition.decompose(
                            r.frame(), r.landmarks(), mean, FaceDecomposition.PAPER_WARP)
                        .texture()));
      }
      List<FaceImage> backgrounds = new ArrayList<>(n);
      for (Future<FaceImage> f : jobs) {
        backgrounds.add(f.get());
      }
      return FaceSet.of(faces, backgrounds, mean);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decomposing backgrounds", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "background decomposition failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Landmarks targetLandmarks(int t) {
    double[] xy = new double[landmarks[t].length];
    for (int k = 0; k < xy.length; k++) {
      xy[k] = landmarks[t][k];
    }
    return Landmarks.of(xy);
  }

  /** A target's image: its texture warped to its landmarks. */
  FaceImage targetImage(int t) {
    FaceImage tex = FaceImage.of(size, size, textures[t]);
    return FaceDecomposition.compose(tex, targetLandmarks(t), MeanShape.of(meanLandmarks, 1));
  }

  /** One line for logs and the model card. */
  public String summary() {
    return String.format(
            Locale.ROOT,
            "%d identities (%d averaged from ≥ %d photos each, %d studio), %d training and %d validation photos",
            targetPersons.size(),
            averagedIdentities,
            minPhotos,
            studioIdentities,
            split(false).length - (augmented == null ? 0 : augmented.count()),
            split(true).length)
        + (augmented == null
            ? ""
            : String.format(
                Locale.ROOT,
                ", %d augment samples (dataset %s)",
                augmented.count(),
                augmented.fingerprint()));
  }
}
