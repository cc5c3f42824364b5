package io.github.facenorm.core;

import io.github.facenorm.core.internal.HeadModelFit;
import java.util.Random;

/**
 * Made-up faces for unit tests: a frontal 68-point shape (dlib's mean shape, in units of its face
 * box) with depths, posed in 3-D and projected orthographically, and tiny textured images.
 */
final class SyntheticFaces {

  private SyntheticFaces() {}

  /** dlib's mean 68-point shape ({@code shape_predictor_68_face_landmarks.dat}), box units. */
  static final double[] MEAN_SHAPE = {
    0.0294, 0.3219, 0.0326, 0.4464, 0.0459, 0.5704, 0.0718, 0.6920, 0.1203, 0.8050, 0.1947, 0.9029,
    0.2858, 0.9846, 0.3863, 1.0502, 0.5000, 1.0697, 0.6137, 1.0502, 0.7142, 0.9846, 0.8053, 0.9029,
    0.8797, 0.8050, 0.9282, 0.6920, 0.9541, 0.5704, 0.9674, 0.4464, 0.9706, 0.3219, 0.1192, 0.2309,
    0.1775, 0.1784, 0.2598, 0.1627, 0.3451, 0.1749, 0.4249, 0.2081, 0.5751, 0.2081, 0.6550, 0.1749,
    0.7402, 0.1627, 0.8225, 0.1784, 0.8809, 0.2309, 0.5000, 0.3055, 0.5000, 0.3857, 0.5000, 0.4652,
    0.5000, 0.5470, 0.4045, 0.6023, 0.4504, 0.6192, 0.5000, 0.6337, 0.5497, 0.6192, 0.5955, 0.6023,
    0.2139, 0.3156, 0.2647, 0.2863, 0.3259, 0.2872, 0.3794, 0.3276, 0.3221, 0.3378, 0.2612, 0.3370,
    0.6207, 0.3276, 0.6742, 0.2872, 0.7353, 0.2863, 0.7862, 0.3156, 0.7388, 0.3370, 0.6780, 0.3378,
    0.3171, 0.7511, 0.3844, 0.7242, 0.4525, 0.7103, 0.5000, 0.7220, 0.5475, 0.7103, 0.6156, 0.7242,
    0.6829, 0.7511, 0.6178, 0.8169, 0.5516, 0.8460, 0.5000, 0.8515, 0.4484, 0.8460, 0.3823, 0.8169,
    0.3452, 0.7547, 0.4519, 0.7499, 0.5000, 0.7550, 0.5481, 0.7499, 0.6548, 0.7547, 0.5490, 0.7857,
    0.5000, 0.7916, 0.4510, 0.7857,
  };

  /**
   * A frontal face in 3-D, box units, centered on the eye midpoint: {x, y, z} per point, z toward
   * the camera. It is the head model that {@link HeadPose} fits (so poses are recovered exactly),
   * scaled to the interocular distance of {@link #MEAN_SHAPE}.
   */
  static double[][] frontal3d() {
    Landmarks m = Landmarks.of(MEAN_SHAPE);
    double unit = m.leftEyeCenter().x() - m.rightEyeCenter().x();
    double[][] h = HeadModelFit.meanShape();
    double[] xy = new double[136];
    for (int i = 0; i < 68; i++) {
      xy[2 * i] = h[i][0];
      xy[2 * i + 1] = h[i][1];
    }
    Landmarks hl = Landmarks.of(xy);
    Landmarks.Point r = hl.rightEyeCenter();
    Landmarks.Point l = hl.leftEyeCenter();
    double ex = 0.5 * (r.x() + l.x());
    double ey = 0.5 * (r.y() + l.y());
    double ez = 0;
    for (int i = 36; i < 48; i++) {
      ez += h[i][2] / 12;
    }
    double d = Math.hypot(l.x() - r.x(), l.y() - r.y());
    double k = unit / d;
    // Level the eye line, so the frontal face has no roll.
    double c = (l.x() - r.x()) / d;
    double sn = (l.y() - r.y()) / d;
    double[][] p = new double[68][3];
    for (int i = 0; i < 68; i++) {
      double x = h[i][0] - ex;
      double y = h[i][1] - ey;
      p[i][0] = k * (c * x + sn * y);
      p[i][1] = k * (-sn * x + c * y);
      p[i][2] = k * (h[i][2] - ez);
    }
    return p;
  }

  /**
   * Poses the frontal face and projects it: yaw (positive: nose to the image's right), then pitch
   * (positive: looking up), then roll (degrees, positive: clockwise on screen), then scale and
   * translation of the eye midpoint.
   */
  static Landmarks posed(
      double yawDeg, double pitchDeg, double rollDeg, double scale, double cx, double cy) {
    double[][] p = frontal3d();
    double ya = Math.toRadians(yawDeg);
    double pa = Math.toRadians(pitchDeg);
    double ra = Math.toRadians(rollDeg);
    double[] xy = new double[136];
    for (int i = 0; i < 68; i++) {
      double x = p[i][0];
      double y = p[i][1];
      double z = p[i][2];
      double x1 = x * Math.cos(ya) + z * Math.sin(ya);
      double z1 = -x * Math.sin(ya) + z * Math.cos(ya);
      double y2 = y * Math.cos(pa) - z1 * Math.sin(pa);
      double x3 = x1 * Math.cos(ra) - y2 * Math.sin(ra);
      double y3 = x1 * Math.sin(ra) + y2 * Math.cos(ra);
      xy[2 * i] = cx + scale * x3;
      xy[2 * i + 1] = cy + scale * y3;
    }
    return Landmarks.of(xy);
  }

  /** A frontal face with the eye midpoint at (cx, cy) and the given interocular distance. */
  static Landmarks frontal(double iod, double cx, double cy) {
    Landmarks m = Landmarks.of(MEAN_SHAPE);
    double unit = m.leftEyeCenter().x() - m.rightEyeCenter().x();
    return posed(0, 0, 0, iod / unit, cx, cy);
  }

  /** A colorful, textured image: smooth color ramps plus seeded per-pixel noise. */
  static FaceImage textured(int w, int h, long seed) {
    Random rnd = new Random(seed);
    float[] v = new float[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        float n = (float) (rnd.nextDouble() - 0.5) * 0.4f;
        v[i] = clamp(0.55f + 0.2f * x / w + n);
        v[i + 1] = clamp(0.4f + 0.1f * y / h + n);
        v[i + 2] = clamp(0.3f + n * 0.8f);
      }
    }
    return FaceImage.of(w, h, v);
  }

  /** An image whose channels are affine functions of (x, y), exact under bilinear sampling. */
  static FaceImage linear(int w, int h) {
    float[] v = new float[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        v[i] = (float) linearValue(0, x, y, w, h);
        v[i + 1] = (float) linearValue(1, x, y, w, h);
        v[i + 2] = (float) linearValue(2, x, y, w, h);
      }
    }
    return FaceImage.of(w, h, v);
  }

  static double linearValue(int c, double x, double y, int w, int h) {
    return switch (c) {
      case 0 -> 0.1 + 0.8 * x / (w - 1);
      case 1 -> 0.1 + 0.8 * y / (h - 1);
      default -> 0.2 + 0.3 * x / (w - 1) + 0.3 * y / (h - 1);
    };
  }

  /** Box blur of radius r (clamped edges). */
  static FaceImage boxBlur(FaceImage img, int r) {
    int w = img.width();
    int h = img.height();
    float[] src = img.toArray();
    float[] out = new float[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          int n = 0;
          for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
              int xx = Math.max(0, Math.min(w - 1, x + dx));
              int yy = Math.max(0, Math.min(h - 1, y + dy));
              s += src[(yy * w + xx) * 3 + c];
              n++;
            }
          }
          out[(y * w + x) * 3 + c] = (float) (s / n);
        }
      }
    }
    return FaceImage.of(w, h, out);
  }

  /** Gray version: each channel set to the mean of the three. */
  static FaceImage gray(FaceImage img) {
    float[] v = img.toArray();
    for (int i = 0; i < v.length; i += 3) {
      float g = (v[i] + v[i + 1] + v[i + 2]) / 3f;
      v[i] = g;
      v[i + 1] = g;
      v[i + 2] = g;
    }
    return FaceImage.of(img.width(), img.height(), v);
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
