/**
 * A pure-Java reader and evaluator of dlib's shape predictor (Kazemi &amp; Sullivan 2014, the
 * ensemble of regression trees behind {@code shape_predictor_68_face_landmarks.dat}): {@link
 * io.github.facenorm.core.dlib.DlibShapePredictor}. Its output matches dlib's own to the print
 * precision of dlib's floats on the goldens in the tests.
 */
package io.github.facenorm.core.dlib;
