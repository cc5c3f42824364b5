package io.github.facenorm.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.facenorm.spark.internal.ThreadBudget;
import org.junit.jupiter.api.Test;

class ThreadBudgetTest {

  @Test
  void coresAreSharedByTheTasksThatRunAtOnce() {
    assertThat(ThreadBudget.nd4jThreads(null, "local[1]", null, 1, 2)).isEqualTo(2);
    assertThat(ThreadBudget.nd4jThreads(null, "local[2]", null, 1, 2)).isEqualTo(1);
    assertThat(ThreadBudget.nd4jThreads(null, "local", null, 1, 8)).isEqualTo(8);
    assertThat(ThreadBudget.nd4jThreads(null, "local[*]", null, 1, 8)).isEqualTo(1);
    assertThat(ThreadBudget.nd4jThreads(null, "local[2,3]", null, 1, 8)).isEqualTo(4);
    assertThat(ThreadBudget.nd4jThreads(null, "local-cluster[2,1,2048]", null, 1, 2)).isEqualTo(1);
    assertThat(ThreadBudget.nd4jThreads(null, "local-cluster[1,1,2048]", null, 1, 2)).isEqualTo(2);
    assertThat(ThreadBudget.nd4jThreads(null, "spark://m:7077", "4", 1, 16)).isEqualTo(4);
    assertThat(ThreadBudget.nd4jThreads(null, "spark://m:7077", "4", 2, 16)).isEqualTo(8);
    assertThat(ThreadBudget.nd4jThreads(null, "yarn", null, 1, 16)).isEqualTo(1);
    assertThat(ThreadBudget.nd4jThreads("3", "local[2]", null, 1, 2)).isEqualTo(3);
  }

  @Test
  void anExplicitValueBelowOneIsRefused() {
    assertThatThrownBy(() -> ThreadBudget.nd4jThreads("0", "local[2]", null, 1, 2))
        .hasMessageContaining(ThreadBudget.CONF_KEY);
  }
}
