/**
 * Training-data generation after Cole et al. (2017), Sec. 5: per-identity averaging, random morphs,
 * gradient-domain compositing and a seeded, resumable dataset writer.
 *
 * <p>Nothing here yet: see the project's issues.
 */
package io.github.facenorm.augment;
