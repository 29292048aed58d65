package org.sentryml.spark;

import org.sentryml.core.errors.SentryException;

/**
 * A task's failure reaches the driver wrapped in Spark's exceptions; the Sentry exception inside
 * (bad input naming the file and row, a path problem, ...) is what decides the exit code and the
 * message, so it is taken out and thrown as it was.
 */
final class SparkFailures {
  private SparkFailures() {}

  /** The first {@link SentryException} in {@code failure}'s causes, else {@code failure} itself. */
  static RuntimeException unwrap(RuntimeException failure) {
    Throwable t = failure;
    // A bounded walk: a cause chain that loops back on itself must not hang the driver.
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof SentryException sentry) {
        return sentry;
      }
    }
    return failure;
  }
}
