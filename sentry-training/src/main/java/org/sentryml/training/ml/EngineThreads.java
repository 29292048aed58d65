package org.sentryml.training.ml;

import org.sentryml.core.errors.UsageException;

/**
 * The number of threads PyTorch computes with, fixed per process: the same count (with the same
 * seeds) gives the same model bytes, and a third party re-running a training needs it, so it is
 * recorded in the provenance. PyTorch reads {@value #PROPERTY} (and the inter-op count) once, when
 * DJL loads the engine, so the count is pinned before the first session and cannot change after.
 */
public final class EngineThreads {
  public static final String PROPERTY = "ai.djl.pytorch.num_threads";
  static final String INTEROP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

  private EngineThreads() {}

  /** The count used when none is asked for: one per available processor. */
  public static int defaultCount() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Pins the thread count for this process.
   *
   * @throws UsageException when the process already computes with another count
   */
  public static synchronized void pin(int threads) {
    if (threads < 1 || threads > 4096) {
      throw new UsageException("--train-threads must be 1..4096, not " + threads);
    }
    String current = System.getProperty(PROPERTY);
    if (current != null && !current.equals(Integer.toString(threads))) {
      throw new UsageException(
          "this process already trains with "
              + current
              + " threads ("
              + PROPERTY
              + "); it cannot change to "
              + threads);
    }
    System.setProperty(PROPERTY, Integer.toString(threads));
    System.setProperty(INTEROP_PROPERTY, "1");
  }
}
