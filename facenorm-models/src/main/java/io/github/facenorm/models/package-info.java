/**
 * Pretrained face networks ported to SameDiff, decoders, losses, training and the face normalizer.
 */
package io.github.facenorm.models;
