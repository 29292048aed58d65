package org.sentryml.training.checkpoint;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.TaskFailures;

/**
 * Commits checkpoints on a thread of their own, so that training goes on while a checkpoint is
 * sealed, fsynced and recorded: the checkpoint's cost leaves the training loop (measured in
 * docs/BENCHMARKS.md, "Training checkpoints"), the first one of a process included, whose sealing
 * runs before the JIT has compiled AES-GCM.
 *
 * <p>The state is encoded on the caller's thread, a copy taken at that step, so the live session
 * and loader move on untouched; at most one checkpoint is being committed, the next waits for it,
 * and a failure reaches the trainer at the next checkpoint or at {@link #close}, never dropped.
 * Crash consistency is the store's: a crash during a background commit leaves the previous
 * checkpoint committed, which is where a resume continues, to the same bits. Not thread-safe: one
 * training thread calls it.
 */
public final class BackgroundCheckpoints implements AutoCloseable {
  private final CheckpointStore store;
  private final ExecutorService committer =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "sentry-checkpoint");
            // A forgotten close must not keep the JVM alive; close waits for the commit.
            thread.setDaemon(true);
            return thread;
          });
  private @Nullable Future<?> inFlight;

  public BackgroundCheckpoints(CheckpointStore store) {
    this.store = store;
  }

  /** The store written to (for its run id). */
  public CheckpointStore store() {
    return store;
  }

  /**
   * Starts committing {@code state} once the previous checkpoint is committed.
   *
   * @throws org.sentryml.core.errors.SentryException the previous checkpoint's failure
   */
  public void write(CheckpointState state) {
    awaitCommitted();
    CheckpointStore.Encoded encoded = store.encode(state);
    inFlight = committer.submit(() -> store.commit(encoded));
  }

  /**
   * Waits until the checkpoint being committed, if any, is committed.
   *
   * @throws org.sentryml.core.errors.SentryException its failure, as the store threw it
   */
  public void awaitCommitted() {
    Future<?> pending = inFlight;
    if (pending == null) {
      return;
    }
    inFlight = null;
    TaskFailures.await(
        pending,
        "checkpoint commit",
        e -> new IllegalStateException("interrupted while a checkpoint was being committed", e));
  }

  /** Waits for the last commit (rethrowing its failure) and stops the thread. */
  @Override
  public void close() {
    try {
      awaitCommitted();
    } finally {
      committer.shutdown();
    }
  }
}
