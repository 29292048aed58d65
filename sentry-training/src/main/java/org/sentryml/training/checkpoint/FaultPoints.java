package org.sentryml.training.checkpoint;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Named places in training where the crash tests kill the trainer ({@code kill -9}) from outside:
 * with the system property {@value #PROPERTY} set to {@code NAME:N}, the N-th time (from 1) the
 * trainer reaches point NAME it prints {@code sentry-fault-point NAME N} on standard error and
 * waits to be killed. Without the property (always, outside those tests) a point costs one
 * comparison.
 */
public final class FaultPoints {
  public static final String PROPERTY = "sentry.test.pause-at";

  /** Inside a training step: the batch is read, the step not yet taken. */
  public static final String MID_BATCH = "mid-batch";

  /** Some files of a checkpoint are in its staging folder, not all. */
  public static final String MID_CHECKPOINT = "mid-checkpoint";

  /** The checkpoint folder is renamed into place, {@code LATEST} not yet replaced. */
  public static final String BEFORE_LATEST = "before-latest";

  /**
   * A checkpoint is committed: {@code LATEST} names it, the ledger has recorded it and older ones
   * are pruned (checkpoints are committed in the background, so a pause in training says nothing
   * about which of them are).
   */
  public static final String AFTER_COMMIT = "after-commit";

  /** The epoch's training pass is done; its dataset check is in progress. */
  public static final String DATASET_CHECK = "dataset-check";

  private static final String TARGET = System.getProperty(PROPERTY, "");
  private static final java.util.Map<String, Integer> SEEN = new java.util.HashMap<>();

  private FaultPoints() {}

  public static void reach(String name) {
    if (TARGET.isEmpty() || !TARGET.startsWith(name + ":")) {
      return;
    }
    int count;
    synchronized (SEEN) {
      count = SEEN.merge(name, 1, Integer::sum);
    }
    if (Integer.toString(count).equals(TARGET.substring(name.length() + 1))) {
      PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
      err.println("sentry-fault-point " + name + " " + count);
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
