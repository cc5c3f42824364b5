package io.github.facenorm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadPoseTest {

  @Test
  void aFrontalFaceReadsZero() {
    HeadPose p = HeadPose.estimate(SyntheticFaces.posed(0, 0, 0, 200, 100, 100));
    assertThat(p.yaw()).isCloseTo(0, within(1e-4));
    assertThat(p.pitch()).isCloseTo(0, within(1e-4));
    assertThat(p.roll()).isCloseTo(0, within(1e-4));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-30, -10, -5, 2, 5, 10, 30})
  void pureYawAndPitchAreRecoveredOnTheModelFace(double deg) {
    // The synthetic head is the estimator's own model (leveled by a 0.07° in-plane turn), so
    // single-axis rotations come back to within 1e-6 relative.
    HeadPose yaw = HeadPose.estimate(SyntheticFaces.posed(deg, 0, 0, 150, 90, 80));
    assertThat(yaw.yaw()).isCloseTo(deg, within(1e-4));
    assertThat(yaw.pitch()).isCloseTo(0, within(1e-4));
    HeadPose pitch = HeadPose.estimate(SyntheticFaces.posed(0, deg, 0, 150, 90, 80));
    assertThat(pitch.pitch()).isCloseTo(deg, within(1e-4));
    assertThat(pitch.yaw()).isCloseTo(0, within(1e-4));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-40, -12, 7, 25, 90})
  void rollIsMeasuredAndDoesNotLeakIntoYawOrPitch(double roll) {
    HeadPose p = HeadPose.estimate(SyntheticFaces.posed(8, -6, roll, 150, 300, 300));
    HeadPose upright = HeadPose.estimate(SyntheticFaces.posed(8, -6, 0, 150, 300, 300));
    // Yaw and pitch together tilt the eye line a little; roll adds to that.
    assertThat(p.roll() - upright.roll()).isCloseTo(roll, within(1e-4));
    assertThat(p.yaw()).isCloseTo(upright.yaw(), within(1e-4));
    assertThat(p.pitch()).isCloseTo(upright.pitch(), within(1e-4));
  }

  @Test
  void combinedRotationsStayClose() {
    HeadPose p = HeadPose.estimate(SyntheticFaces.posed(10, 8, 0, 150, 100, 100));
    assertThat(p.yaw()).isCloseTo(10, within(1.0));
    assertThat(p.pitch()).isCloseTo(8, within(1.0));
  }

  @Test
  void coincidingEyesAreRejected() {
    assertThatThrownBy(() -> HeadPose.estimate(Landmarks.of(new double[136])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eye centers coincide");
  }
}
