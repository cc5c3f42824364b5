package io.github.facenorm.augment.internal;

/** Per-sample seeds: independent streams addressed by (seed, index), whatever the thread order. */
public final class Seeds {

  private Seeds() {}

  /**
   * The seed of one sample: two rounds of the MurmurHash3 finalizer over the dataset seed and the
   * sample's index.
   *
   * @param seed the dataset seed
   * @param index the sample index
   * @return a well-mixed 64-bit seed
   */
  public static long of(long seed, long index) {
    return fmix(fmix(seed) ^ (index * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
