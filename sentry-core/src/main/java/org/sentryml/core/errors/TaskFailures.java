package org.sentryml.core.errors;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Waiting for a task that ran on another thread, so that its failure reaches the caller as the task
 * threw it: a {@link SentryException} keeps its message and exit code instead of arriving wrapped.
 */
public final class TaskFailures {
  private TaskFailures() {}

  /**
   * The task's result. Its RuntimeException or Error is thrown as it was; a checked exception
   * (which a {@code Callable} may throw) is wrapped in an IllegalStateException saying that {@code
   * what} failed. When the waiting thread is interrupted, its interrupt flag is set again and
   * {@code interrupted}'s exception is thrown, for the caller to say what was cut short.
   */
  public static <T> T await(
      Future<T> task,
      String what,
      Function<InterruptedException, ? extends RuntimeException> interrupted) {
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(what + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted.apply(e);
    }
  }
}
