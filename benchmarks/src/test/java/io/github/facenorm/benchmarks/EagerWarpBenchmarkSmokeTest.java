package io.github.facenorm.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI smoke test: one tiny in-process JMH iteration of {@link EagerWarpBenchmark} (a small image and
 * few points), so a broken benchmark or a JMH/annotation-processing problem fails the build instead
 * of the benchmark run.
 */
class EagerWarpBenchmarkSmokeTest {

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void oneTinyIterationReturnsAResult() throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(Pattern.quote(EagerWarpBenchmark.class.getName() + ".forward") + "$")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .param("threads", "1")
            .param("order", "1")
            .param("batch", "1")
            .param("size", "64")
            .param("points", "16")
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();

    // JMH's /tmp/jmh.lock keeps two real benchmark runs apart; a 100 ms smoke run measures nothing
    // and must not fail because a benchmark run happens to be going on on the same machine
    String previous = System.setProperty("jmh.ignoreLock", "true");
    Collection<RunResult> results;
    try {
      results = new Runner(options).run();
    } finally {
      if (previous == null) {
        System.clearProperty("jmh.ignoreLock");
      } else {
        System.setProperty("jmh.ignoreLock", previous);
      }
    }

    assertThat(results).hasSize(1);
    RunResult result = results.iterator().next();
    assertThat(result.getParams().getBenchmark()).endsWith("EagerWarpBenchmark.forward");
    assertThat(result.getPrimaryResult().getSampleCount()).isPositive();
    assertThat(result.getPrimaryResult().getScore()).isPositive().isFinite();
  }
}
