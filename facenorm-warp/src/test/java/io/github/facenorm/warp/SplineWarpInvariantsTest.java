package io.github.facenorm.warp;

import static io.github.facenorm.warp.TestArrays.displaced;
import static io.github.facenorm.warp.TestArrays.maxAbsDiff;
import static io.github.facenorm.warp.TestArrays.nd;
import static io.github.facenorm.warp.TestArrays.nested4;
import static io.github.facenorm.warp.TestArrays.randomImage;
import static io.github.facenorm.warp.TestArrays.randomPoints;
import static io.github.facenorm.warp.TestArrays.swapLast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SplineWarpInvariantsTest {

  static Stream<Arguments> configs() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (int order = 1; order <= 4; order++) {
      for (int boundary : new int[] {0, 1, 2, 3}) {
        for (double lambda : new double[] {0, 0.3}) {
          s.add(Arguments.of(order, boundary, lambda));
        }
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "order {0}, boundary {1}, lambda {2}")
  @MethodSource("configs")
  void kernelEqualsReferenceImplementation(int order, int boundary, double lambda) {
    SplittableRandom r = new SplittableRandom(order * 100 + boundary * 10 + (lambda > 0 ? 1 : 0));
    int h = 13;
    int w = 18;
    double[][][][] img = randomImage(r, 2, h, w, 3);
    double[][][] src = randomPoints(r, 2, 9, h, w, PointOrder.XY);
    double[][][] dst = displaced(r, src, 2.5);
    SplineWarp warp =
        SplineWarp.builder().order(order).boundaryPoints(boundary).regularization(lambda).build();
    WarpResult got = warp.apply(nd(img), nd(src), nd(dst));
    double[][][][] gotImage = nested4(got.image());
    double[][][][] gotFlow = nested4(got.flow());
    for (int b = 0; b < 2; b++) {
      ReferenceWarp.Result want =
          ReferenceWarp.sparseWarp(
              img[b], swapLast(src)[b], swapLast(dst)[b], order, lambda, boundary);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          // reference flow is (dy, dx); ours, in XY, is (dx, dy)
          assertThat(gotFlow[b][y][x][0]).isCloseTo(want.flow()[y][x][1], within(1e-8));
          assertThat(gotFlow[b][y][x][1]).isCloseTo(want.flow()[y][x][0], within(1e-8));
          for (int c = 0; c < 3; c++) {
            assertThat(gotImage[b][y][x][c]).isCloseTo(want.image()[y][x][c], within(1e-8));
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "order {0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void flowIsExactAtTheDestPointsWithoutRegularization(int order) {
    SplittableRandom r = new SplittableRandom(order);
    int h = 20;
    int w = 24;
    // dest points on pixel centers, so the flow image holds the spline's value there
    double[][][] dst = new double[1][6][2];
    int[][] px = {{3, 4}, {15, 5}, {8, 12}, {20, 16}, {5, 17}, {12, 9}};
    for (int i = 0; i < 6; i++) {
      dst[0][i] = new double[] {px[i][0], px[i][1]};
    }
    double[][][] src = displaced(r, dst, 3);
    WarpResult res =
        SplineWarp.builder()
            .order(order)
            .boundaryPoints(1)
            .build()
            .apply(nd(randomImage(r, 1, h, w, 1)), nd(src), nd(dst));
    double[][][][] flow = nested4(res.flow());
    for (int i = 0; i < 6; i++) {
      double[] f = flow[0][px[i][1]][px[i][0]];
      assertThat(f[0]).isCloseTo(dst[0][i][0] - src[0][i][0], within(1e-9));
      assertThat(f[1]).isCloseTo(dst[0][i][1] - src[0][i][1], within(1e-9));
    }
    // the boundary points pin the corners
    for (int[] corner : new int[][] {{0, 0}, {0, w - 1}, {h - 1, 0}, {h - 1, w - 1}}) {
      assertThat(flow[0][corner[0]][corner[1]][0]).isCloseTo(0, within(1e-9));
      assertThat(flow[0][corner[0]][corner[1]][1]).isCloseTo(0, within(1e-9));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void zeroFlowIsTheIdentity(String type) {
    SplittableRandom r = new SplittableRandom(7);
    DataType t = DataType.valueOf(type);
    INDArray img = nd(randomImage(r, 2, 11, 14, 3)).castTo(t);
    INDArray pts = nd(randomPoints(r, 2, 7, 11, 14, PointOrder.XY));
    WarpResult res = SplineWarp.builder().order(2).boundaryPoints(2).build().apply(img, pts, pts);
    assertThat(res.image().dataType()).isEqualTo(t);
    assertThat(res.flow().amaxNumber().doubleValue()).isZero();
    assertThat(maxAbsDiff(res.image(), img)).isLessThan(1e-6);
  }

  @Test
  void pureTranslationShiftsTheImage() {
    SplittableRandom r = new SplittableRandom(11);
    int h = 16;
    int w = 21;
    double[][][][] img = randomImage(r, 1, h, w, 2);
    double[][][] src = randomPoints(r, 1, 5, h, w, PointOrder.XY);
    double[][][] dst = new double[1][5][];
    for (int i = 0; i < 5; i++) {
      dst[0][i] = new double[] {src[0][i][0] + 3, src[0][i][1] - 2}; // 3 px right, 2 px up
    }
    WarpResult res = SplineWarp.builder().order(1).build().apply(nd(img), nd(src), nd(dst));
    double[][][][] out = nested4(res.image());
    double[][][][] flow = nested4(res.flow());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertThat(flow[0][y][x][0]).isCloseTo(3, within(1e-9));
        assertThat(flow[0][y][x][1]).isCloseTo(-2, within(1e-9));
        int sx = x - 3;
        int sy = y + 2;
        if (sx >= 0 && sy < h) {
          for (int c = 0; c < 2; c++) {
            assertThat(out[0][y][x][c]).isCloseTo(img[0][sy][sx][c], within(1e-8));
          }
        }
      }
    }
  }

  @Test
  void yxOrderGivesTheSameWarpWithSwappedFlowComponents() {
    SplittableRandom r = new SplittableRandom(5);
    INDArray img = nd(randomImage(r, 2, 12, 17, 3));
    double[][][] src = randomPoints(r, 2, 8, 12, 17, PointOrder.XY);
    double[][][] dst = displaced(r, src, 2);
    SplineWarp.Builder b = SplineWarp.builder().order(1).boundaryPoints(2);
    WarpResult xy = b.build().apply(img, nd(src), nd(dst));
    WarpResult yx =
        b.pointOrder(PointOrder.YX).build().apply(img, nd(swapLast(src)), nd(swapLast(dst)));
    assertThat(maxAbsDiff(xy.image(), yx.image())).isLessThan(1e-12);
    INDArray dx =
        xy.flow()
            .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0));
    INDArray dxFromYx =
        yx.flow()
            .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1));
    assertThat(maxAbsDiff(dx, dxFromYx)).isLessThan(1e-12);
  }

  @ParameterizedTest(name = "order {0}")
  @ValueSource(ints = {1, 2})
  void batchEqualsExamplesOneByOne(int order) {
    SplittableRandom r = new SplittableRandom(order + 40);
    double[][][][] img = randomImage(r, 3, 10, 15, 2);
    double[][][] src = randomPoints(r, 3, 6, 10, 15, PointOrder.XY);
    double[][][] dst = displaced(r, src, 2);
    SplineWarp warp = SplineWarp.builder().order(order).boundaryPoints(1).build();
    WarpResult all = warp.apply(nd(img), nd(src), nd(dst));
    for (int b = 0; b < 3; b++) {
      WarpResult one =
          warp.apply(
              nd(new double[][][][] {img[b]}),
              nd(new double[][][] {src[b]}),
              nd(new double[][][] {dst[b]}));
      INDArray slice = all.image().get(NDArrayIndex.interval(b, b + 1));
      assertThat(maxAbsDiff(slice, one.image())).isZero();
      assertThat(maxAbsDiff(all.flow().get(NDArrayIndex.interval(b, b + 1)), one.flow())).isZero();
    }
  }

  @ParameterizedTest(name = "order {0}")
  @ValueSource(ints = {1, 2, 3})
  void floatMatchesDouble(int order) {
    SplittableRandom r = new SplittableRandom(order + 70);
    int h = 40;
    int w = 56;
    INDArray img = nd(randomImage(r, 2, h, w, 3));
    INDArray src = nd(randomPoints(r, 2, 20, h, w, PointOrder.XY));
    INDArray dst = nd(displaced(r, TestArrays.nested3(src), 4));
    SplineWarp warp = SplineWarp.builder().order(order).boundaryPoints(2).build();
    WarpResult d = warp.apply(img, src, dst);
    WarpResult f =
        warp.apply(
            img.castTo(DataType.FLOAT), src.castTo(DataType.FLOAT), dst.castTo(DataType.FLOAT));
    assertThat(f.image().dataType()).isEqualTo(DataType.FLOAT);
    // float inputs round the points; orders 1 and 2 also sum the flow in float
    double tol = order == 1 ? 1e-4 : 2e-4;
    assertThat(maxAbsDiff(d.flow(), f.flow())).isLessThan(tol);
    assertThat(maxAbsDiff(d.image(), f.image())).isLessThan(tol);
  }

  @Test
  void threadCountDoesNotChangeTheResult() {
    SplittableRandom r = new SplittableRandom(3);
    INDArray img = nd(randomImage(r, 2, 31, 23, 3)).castTo(DataType.FLOAT);
    INDArray src = nd(randomPoints(r, 2, 12, 31, 23, PointOrder.XY));
    INDArray dst = nd(displaced(r, TestArrays.nested3(src), 3));
    SplineWarp.Builder b = SplineWarp.builder().order(1).boundaryPoints(2);
    WarpResult one = b.threads(1).build().apply(img, src, dst);
    WarpResult three = b.threads(3).build().apply(img, src, dst);
    assertThat(maxAbsDiff(one.image(), three.image())).isZero();
    assertThat(maxAbsDiff(one.flow(), three.flow())).isZero();
  }

  @Test
  void contentMovesFromSourceToDest() {
    // a bright dot at the source point must appear at the dest point
    int h = 30;
    int w = 30;
    double[][][][] img = new double[1][h][w][1];
    img[0][10][8][0] = 1; // row 10, col 8
    double[][][] src = {{{8, 10}, {20, 20}, {5, 25}}};
    double[][][] dst = {{{14, 12}, {20, 20}, {5, 25}}}; // dot goes to col 14, row 12
    WarpResult res =
        SplineWarp.builder().order(1).boundaryPoints(2).build().apply(nd(img), nd(src), nd(dst));
    double[][][][] out = nested4(res.image());
    assertThat(out[0][12][14][0]).isCloseTo(1, within(1e-9));
    assertThat(out[0][10][8][0]).isLessThan(0.5);
  }
}
