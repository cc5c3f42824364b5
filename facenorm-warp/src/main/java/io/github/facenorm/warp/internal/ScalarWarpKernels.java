package io.github.facenorm.warp.internal;

/**
 * The scalar kernels: plain loops over primitive arrays ({@link WarpKernelF32}, {@link
 * WarpKernelF64}), which C2 auto-vectorises where it can (the order-1 square root, not the
 * logarithm). Runs on every JVM.
 */
final class ScalarWarpKernels implements WarpKernels {

  static final ScalarWarpKernels INSTANCE = new ScalarWarpKernels();

  private ScalarWarpKernels() {}

  @Override
  public String description() {
    return "scalar Java loops";
  }

  @Override
  public void sparseWarp(
      float[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      float[] out,
      float[] flowOut) {
    if (spline.order() == 1) {
      WarpKernelF32.sparseWarp(
          image, batch, height, width, channels, spline, flowYx, threads, out, flowOut);
      return;
    }
    // orders ≥ 2: the flow must be summed in double (see WarpKernels), so the whole warp runs in
    // the double kernel and is rounded once
    double[] pixels = out == null ? null : widen(image);
    double[] o = out == null ? null : new double[out.length];
    double[] f = flowOut == null ? null : new double[flowOut.length];
    WarpKernelF64.sparseWarp(pixels, batch, height, width, channels, spline, flowYx, threads, o, f);
    if (o != null) {
      narrow(o, out);
    }
    if (f != null) {
      narrow(f, flowOut);
    }
  }

  @Override
  public void sparseWarp(
      double[] image,
      int batch,
      int height,
      int width,
      int channels,
      FittedSpline spline,
      boolean flowYx,
      int threads,
      double[] out,
      double[] flowOut) {
    WarpKernelF64.sparseWarp(
        image, batch, height, width, channels, spline, flowYx, threads, out, flowOut);
  }

  @Override
  public void denseWarp(
      float[] image,
      float[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      float[] out) {
    WarpKernelF32.denseWarp(image, flow, flowYx, batch, height, width, channels, threads, out);
  }

  @Override
  public void denseWarp(
      double[] image,
      double[] flow,
      boolean flowYx,
      int batch,
      int height,
      int width,
      int channels,
      int threads,
      double[] out) {
    WarpKernelF64.denseWarp(image, flow, flowYx, batch, height, width, channels, threads, out);
  }

  private static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static void narrow(double[] v, float[] to) {
    for (int i = 0; i < v.length; i++) {
      to[i] = (float) v[i];
    }
  }
}
