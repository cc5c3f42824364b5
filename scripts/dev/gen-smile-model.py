#!/usr/bin/env python3
"""Generates facenorm-core's internal/SmileModel.java: the smile score QualityFilters thresholds.
Run by hand; the output is committed.

Input: dlib's 68 landmarks on FRL London (CC BY 4.0, DeBruine & Jones 2017) photos NNN_03 (neutral
frontal) and NNN_08 (smiling), as FrlFilterCalibrationTest writes them to
facenorm-core/target/frl-landmarks.csv. Only EVEN person ids are used (the tuning half); the odd ids
are kept for the held-out rates that FrlFilterCalibrationTest prints.

Model: 14 measurements of the face in the eye frame (origin at the left eye's centre, x along the
eye line, unit = the distance between the eye centres; see FEATURES), standardized, and a Fisher
discriminant (pooled covariance shrunk toward its mean diagonal) between neutral and smiling photos,
scaled so that the tuning neutral mean scores 0 and the tuning smiling mean 1. The feature set and
the shrinkage were chosen by 5-fold cross-validation over the even people only (against the 40
mouth coordinates the previous score used, and against logistic regression); the threshold is the
middle of the range of thresholds that maximize the smaller of the two tuning rates.

usage: gen-smile-model.py frl-landmarks.csv out.java
"""
import sys

import numpy as np

SHRINK = 0.1
FEATURES = [
    "mouth width (54 - 48, x)",
    "corner lift: lip midline (51, 57) below the corners (48, 54)",
    "inner-lip opening (66 - 62, y)",
    "upper lip thickness (62 - 51, y)",
    "lower lip thickness (57 - 66, y)",
    "eye openings (lower - upper lids, both eyes)",
    "nose tip to upper lip (51 - 33, y)",
    "lower lip to chin (57 - 8, y)",
    "upper inner lip curvature ((61 + 63) / 2 - 62, y)",
    "lower inner lip curvature ((67 + 65) / 2 - 66, y)",
    "inner mouth width (64 - 60, x)",
    "corners below the nose tip ((48 + 54) / 2 - 33, y)",
    "chin height (8, y)",
    "jaw width (14 - 2, x)",
]


def features(p):
    """p: 68 x 2 landmarks (image coordinates). Mirrors SmileModel.features in Java."""
    le = p[36:42].mean(0)
    re_ = p[42:48].mean(0)
    d = re_ - le
    iod = np.hypot(d[0], d[1])
    ex = d / iod
    ey = np.array([-ex[1], ex[0]])
    q = (p - le) @ np.column_stack([ex, ey]) / iod
    cy = (q[48, 1] + q[54, 1]) / 2
    return np.array(
        [
            q[54, 0] - q[48, 0],
            (q[51, 1] + q[57, 1]) / 2 - cy,
            q[66, 1] - q[62, 1],
            q[62, 1] - q[51, 1],
            q[57, 1] - q[66, 1],
            (q[41, 1] - q[37, 1]) + (q[40, 1] - q[38, 1]) + (q[47, 1] - q[43, 1]) + (q[46, 1] - q[44, 1]),
            q[51, 1] - q[33, 1],
            q[57, 1] - q[8, 1],
            (q[61, 1] + q[63, 1]) / 2 - q[62, 1],
            (q[67, 1] + q[65, 1]) / 2 - q[66, 1],
            q[64, 0] - q[60, 0],
            cy - q[33, 1],
            q[8, 1],
            q[14, 0] - q[2, 0],
        ]
    )


def fit(x, train, smile, shrink):
    mu = x[train].mean(0)
    sd = x[train].std(0) + 1e-12
    z = (x - mu) / sd
    z0, z1 = z[train & ~smile], z[train & smile]
    m0, m1 = z0.mean(0), z1.mean(0)
    sw = np.atleast_2d(np.cov(np.vstack([z0 - m0, z1 - m1]).T))
    sw = sw + shrink * np.trace(sw) / len(sw) * np.eye(len(sw))
    w = np.linalg.solve(sw, m1 - m0)
    w = w / (w @ (m1 - m0))
    b = -(w @ m0)
    # fold the standardization into the weights: score = x . (w / sd) + (b - w . mu / sd)
    wx = w / sd
    bx = b - wx @ mu
    s = x @ wx + bx
    # the middle of the widest-margin plateau of thresholds that maximize the smaller tuning rate
    ts = np.linspace(-0.5, 1.5, 2001)
    v = np.array([min((s[train & ~smile] <= t).mean(), (s[train & smile] > t).mean()) for t in ts])
    plateau = ts[v >= v.max() - 1e-12]
    return wx, bx, round(0.5 * (plateau.min() + plateau.max()), 3), s


def cross_validate(x, ids, even, smile, shrink, folds=5):
    people = np.unique(ids[even])
    np.random.RandomState(0).shuffle(people)
    ok_n, ok_s = [], []
    for f in range(folds):
        test = np.isin(ids, people[f::folds])
        _, _, t, s = fit(x, even & ~test, smile, shrink)
        ok_n += list(s[test & ~smile] <= t)
        ok_s += list(s[test & smile] > t)
    return np.mean(ok_n), np.mean(ok_s)


def main():
    csv, out = sys.argv[1:3]
    rows = [line.strip().split(",") for line in open(csv)]
    names = [r[0] for r in rows]
    lms = np.array([[float(v) for v in r[1:]] for r in rows]).reshape(-1, 68, 2)
    ids = np.array([int(n[: n.index("_")]) for n in names])
    smile = np.array(["_08" in n for n in names])
    even = ids % 2 == 0
    x = np.array([features(p) for p in lms])
    for shrink in (0.01, 0.1, 0.3, 1.0):
        n, s = cross_validate(x, ids, even, smile, shrink)
        print("CV (even ids) shrink %.2f: neutral pass %.3f, smile reject %.3f" % (shrink, n, s))
    wx, bx, thr, s = fit(x, even, smile, SHRINK)
    print("threshold %.3f; tuning: neutral pass %.3f, smile reject %.3f" % (
        thr, (s[even & ~smile] <= thr).mean(), (s[even & smile] > thr).mean()))
    # two recorded cases (one neutral, one smiling, even ids) for SmileModelTest
    cases = [int(np.where(even & ~smile)[0][0]), int(np.where(even & smile)[0][0])]

    def arr(a, per=4):
        a = np.asarray(a).ravel()
        return ",\n      ".join(", ".join("%.17g" % v for v in a[i : i + per]) for i in range(0, len(a), per))

    doc = "\n".join("   *   <li>%d: %s" % (i, f) for i, f in enumerate(FEATURES))
    with open(out, "w") as f:
        f.write(
            "package io.github.facenorm.core.internal;\n\n"
            "/**\n"
            " * Generated by scripts/dev/gen-smile-model.py; do not edit. A smile score from dlib's 68 landmarks:\n"
            " * a Fisher discriminant over 14 measurements in the eye frame, fitted on the even-numbered people\n"
            " * of FRL London (CC BY 4.0, DeBruine &amp; Jones 2017), neutral photos scoring 0 and smiling ones 1\n"
            " * on average.\n"
            " */\n"
            "public final class SmileModel {\n\n  private SmileModel() {}\n\n"
            "  /**\n   * Weights of the measurements, in this order:\n   *\n   * <ol>\n" + doc + "\n   * </ol>\n   */\n"
            "  static final double[] WEIGHTS = {\n      " + arr(wx) + "\n  };\n\n"
            "  /** Score offset. */\n  static final double BIAS = %.17g;\n\n" % bx
            + "  /**\n   * The middle of the thresholds that maximize the smaller tuning rate (neutral passed, smile\n   * rejected).\n   */\n"
            + "  public static final double TUNED_THRESHOLD = %.3f;\n\n" % thr
            + "  /** Two tuning photos' landmarks (x, y per point; neutral, then smiling), for the tests. */\n"
            + "  static final double[][] RECORDED_LANDMARKS = {\n    {\n      "
            + "\n    },\n    {\n      ".join(arr(lms[c].ravel()) for c in cases)
            + "\n    }\n  };\n\n"
            + "  /** Their scores as the generator computed them. */\n"
            + "  static final double[] RECORDED_SCORES = {%.17g, %.17g};\n\n" % (s[cases[0]], s[cases[1]])
            + "  /**\n   * The smile score of 68 landmarks.\n   *\n"
            + "   * @param xy x, y per point, 136 values, image coordinates\n"
            + "   * @return about 0 for a neutral face, about 1 for a smile\n"
            + "   * @throws IllegalArgumentException if the eye centres coincide\n   */\n"
            + "  public static double score(double[] xy) {\n"
            + "    double[] f = SmileFeatures.of(xy);\n"
            + "    double s = BIAS;\n"
            + "    for (int i = 0; i < f.length; i++) {\n      s += WEIGHTS[i] * f[i];\n    }\n"
            + "    return s;\n  }\n}\n"
        )


if __name__ == "__main__":
    main()
