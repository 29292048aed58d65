package org.sentryml.core.io;

/**
 * Reports the progress of long work (downloads, shard writing, epochs) without tying the library to
 * a terminal: the command-line agents draw bars, tests and scripts pass {@link #NONE}.
 */
public interface TaskProgress {
  TaskProgress NONE = new TaskProgress() {};

  /** A task starts; {@code total} units (bytes, samples), or -1 when unknown. */
  default void start(String task, long total, String unit) {}

  /** {@code units} more are done. */
  default void advance(long units) {}

  /** The current task is over. */
  default void finish() {}
}
