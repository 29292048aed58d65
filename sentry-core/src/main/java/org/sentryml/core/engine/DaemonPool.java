package org.sentryml.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engines' worker pools: fixed-size, of daemon threads named after their job (so a forgotten
 * close never keeps the JVM alive), and a join that rethrows a task's own failure.
 */
final class DaemonPool {
  private DaemonPool() {}

  /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
  static ExecutorService fixed(String prefix, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, not " + threads);
    }
    AtomicInteger counter = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** The future's value; a task's RuntimeException (a SentryException, say) is thrown as it was. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
