package io.github.facenorm.core;

import io.github.facenorm.core.dlib.DlibShapePredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many LFW dev-train photos of people with at least 3 photos pass each quality filter, and how
 * many of those people keep at least 3 passing photos (what per-identity averaging needs). Slow (a
 * few minutes): runs only with {@code -Dfacenorm.survey=true}, the dlib model and {@code
 * ../shared/data/lfw-devtrain}.
 */
@Tag("integration")
class LfwFilterSurveyTest {

  @Test
  void printsPassCountsPerFilter() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("facenorm.survey"), "-Dfacenorm.survey=true");
    Assumptions.assumeTrue(Files.isRegularFile(DlibShapePredictor.defaultModelPath()));
    Path root =
        Paths.get(System.getProperty("basedir", ""))
            .toAbsolutePath()
            .getParent()
            .resolve("../shared/data/lfw-devtrain")
            .normalize();
    Assumptions.assumeTrue(Files.isDirectory(root), "no " + root);
    FacePreparer preparer = FacePreparer.builder(DlibShapePredictor.loadDefault()).build();
    QualityFilters filters = QualityFilters.builder().build();
    Map<String, List<Path>> people = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        try (Stream<Path> s = Files.list(d)) {
          List<Path> photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
          if (photos.size() >= 3) {
            people.put(d.getFileName().toString(), photos);
          }
        }
      }
    }
    AtomicInteger total = new AtomicInteger();
    AtomicInteger pose = new AtomicInteger();
    AtomicInteger yaw = new AtomicInteger();
    AtomicInteger pitch = new AtomicInteger();
    AtomicInteger blur = new AtomicInteger();
    AtomicInteger color = new AtomicInteger();
    AtomicInteger expr = new AtomicInteger();
    AtomicInteger smile = new AtomicInteger();
    AtomicInteger all = new AtomicInteger();
    AtomicInteger allButPose = new AtomicInteger();
    Map<String, AtomicInteger> passing = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> passingYaw = new ConcurrentHashMap<>();
    people.entrySet().parallelStream()
        .forEach(
            e -> {
              for (Path p : e.getValue()) {
                QualityReport q;
                try {
                  q = filters.check(preparer.prepare(FaceImage.read(p)).aligned());
                } catch (IOException | RuntimeException ex) {
                  continue;
                }
                total.incrementAndGet();
                HeadPose hp = q.pose().headPose();
                boolean y = Math.abs(hp.yaw()) <= filters.maxYaw();
                count(pose, q.pose().passed());
                count(yaw, y);
                count(pitch, Math.abs(hp.pitch()) <= filters.maxPitch());
                count(blur, q.blur().passed());
                count(color, q.monochrome().passed());
                count(expr, q.expression().passed());
                count(smile, q.expression().smile() <= filters.maxSmile());
                count(all, q.passed());
                boolean rest =
                    q.blur().passed() && q.monochrome().passed() && q.expression().passed();
                count(allButPose, rest);
                if (q.passed()) {
                  passing.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).incrementAndGet();
                }
                if (rest && y) {
                  passingYaw
                      .computeIfAbsent(e.getKey(), k -> new AtomicInteger())
                      .incrementAndGet();
                }
              }
            });
    long people3 = passing.values().stream().filter(a -> a.get() >= 3).count();
    long people3yaw = passingYaw.values().stream().filter(a -> a.get() >= 3).count();
    System.out.printf(
        Locale.ROOT,
        "LFW dev-train, %d people with >= 3 photos, %d photos landmarked: pose %d (yaw %d, pitch %d),"
            + " blur %d, color %d, expression %d (smile %d); all filters %d, all but pose %d;"
            + " people with >= 3 passing photos: %d (all filters), %d (all but pitch)%n",
        people.size(),
        total.get(),
        pose.get(),
        yaw.get(),
        pitch.get(),
        blur.get(),
        color.get(),
        expr.get(),
        smile.get(),
        all.get(),
        allButPose.get(),
        people3,
        people3yaw);
  }

  private static void count(AtomicInteger c, boolean ok) {
    if (ok) {
      c.incrementAndGet();
    }
  }
}
