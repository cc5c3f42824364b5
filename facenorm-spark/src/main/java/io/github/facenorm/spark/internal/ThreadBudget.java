package io.github.facenorm.spark.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * How many threads each ND4J op of an executor may use so that the executor's concurrent tasks do
 * not oversubscribe its cores: {@code max(1, processors / concurrent tasks)}. Without it every task
 * of a 2-task executor runs ND4J on all cores at once (4 busy threads on 2 cores).
 */
public final class ThreadBudget {

  /** Spark conf key that sets the ND4J threads per op explicitly. */
  public static final String CONF_KEY = "spark.facenorm.nd4jThreads";

  private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)(?:,\\d+)?\\]");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[(\\d+),(\\d+),\\d+\\]");

  private ThreadBudget() {}

  /**
   * The threads per ND4J op for this JVM under a Spark configuration.
   *
   * @param conf the executor's (or local driver's) configuration
   * @return at least 1
   */
  public static int of(SparkConf conf) {
    return nd4jThreads(
        conf.get(CONF_KEY, null),
        conf.get("spark.master", null),
        conf.get("spark.executor.cores", null),
        conf.getInt("spark.task.cpus", 1),
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * The threads per ND4J op.
   *
   * @param explicit {@value #CONF_KEY} if set, else null
   * @param master the master URL ({@code local[2]}, {@code spark://...}, {@code yarn}...)
   * @param executorCores {@code spark.executor.cores} if set, else null
   * @param taskCpus {@code spark.task.cpus} (1 by default)
   * @param processors the processors this JVM sees
   * @return at least 1
   */
  public static int nd4jThreads(
      String explicit, String master, String executorCores, int taskCpus, int processors) {
    if (explicit != null) {
      int n = Integer.parseInt(explicit.strip());
      if (n < 1) {
        throw new IllegalArgumentException(CONF_KEY + ": expected at least 1, got " + n);
      }
      return n;
    }
    int slots = processors; // standalone/YARN/Kubernetes default: the executor has the machine
    String u = master == null ? "" : master.replace(" ", "");
    Matcher local = LOCAL.matcher(u);
    Matcher cluster = LOCAL_CLUSTER.matcher(u);
    if (executorCores != null) {
      slots = Integer.parseInt(executorCores.strip());
    } else if (u.equals("local")) {
      slots = 1;
    } else if (local.matches()) {
      slots = local.group(1).equals("*") ? processors : Integer.parseInt(local.group(1));
    } else if (cluster.matches()) { // every executor of the test cluster is on this machine
      slots = Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2));
    }
    int tasks = Math.max(1, slots / Math.max(1, taskCpus));
    return Math.max(1, processors / tasks);
  }
}
