package org.sentryml.confidential.encryption;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.TaskFailures;

/**
 * Runs one task per file on a pool of daemon threads and waits for them all. The first failure is
 * thrown as it was (a {@code SentryException} keeps its type, and so its exit code), once the other
 * tasks were cancelled or interrupted and have ended. Stateless.
 */
final class ParallelFiles {
  private ParallelFiles() {}

  /**
   * Runs {@code task} for every item of {@code items}, in that order of starting, on {@code
   * threads} threads.
   */
  static <T> void run(List<T> items, int threads, String name, Consumer<T> task) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(threads, items.size())),
            r -> {
              Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> tasks = new ArrayList<>(items.size());
      for (T item : items) {
        tasks.add(pool.submit(() -> task.accept(item)));
      }
      for (Future<?> future : tasks) {
        TaskFailures.await(
            future,
            "a file task",
            e -> new IoFailureException("interrupted while working on files", e));
      }
    } finally {
      // After a failure the others are interrupted (file channels stop at their next read or
      // write) and awaited, so that none writes into a staging folder while it is deleted.
      pool.shutdownNow();
      awaitTermination(pool);
    }
  }

  private static void awaitTermination(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
