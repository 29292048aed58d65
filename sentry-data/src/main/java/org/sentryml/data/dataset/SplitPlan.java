package org.sentryml.data.dataset;

/** How a dataset was divided among its sources: count, Dirichlet concentration and seed. */
public record SplitPlan(int sources, double alpha, long seed) {
  public SplitPlan {
    if (sources < 1) {
      throw new IllegalArgumentException("at least one source, not " + sources);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a finite real number > 0, not " + alpha);
    }
  }

  /** The name of source {@code index}: {@code source-00}, {@code source-01}, ... */
  public String sourceName(int index) {
    int width = Math.max(2, Integer.toString(sources - 1).length());
    return "source-" + "0".repeat(Math.max(0, width - Integer.toString(index).length())) + index;
  }

  public static String shardName(String source) {
    return source + ".tar";
  }
}
