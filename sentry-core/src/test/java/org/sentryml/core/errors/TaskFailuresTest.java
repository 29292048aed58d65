package org.sentryml.core.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskFailuresTest {
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static RuntimeException interrupted(InterruptedException e) {
    return new IoFailureException("cut short", e);
  }

  @Test
  void aTasksResultIsReturned() {
    assertEquals(
        7, TaskFailures.await(pool.submit(() -> 7), "the sum", TaskFailuresTest::interrupted));
  }

  @Test
  void aTasksOwnUncheckedFailureIsThrownAsItWas() {
    VerificationFailedException thrown = new VerificationFailedException("digest differs");
    Future<Object> task =
        pool.submit(
            () -> {
              throw thrown;
            });
    assertSame(
        thrown,
        assertThrows(
            VerificationFailedException.class,
            () -> TaskFailures.await(task, "the check", TaskFailuresTest::interrupted)));
    AssertionError error = new AssertionError("a bug");
    Future<Object> failing =
        pool.submit(
            () -> {
              throw error;
            });
    assertSame(
        error,
        assertThrows(
            AssertionError.class,
            () -> TaskFailures.await(failing, "the check", TaskFailuresTest::interrupted)));
  }

  @Test
  void aCheckedFailureIsWrappedNamingTheTask() {
    IOException cause = new IOException("disk gone");
    Future<Object> task =
        pool.submit(
            () -> {
              throw cause;
            });
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> TaskFailures.await(task, "the copy", TaskFailuresTest::interrupted));
    assertEquals("the copy failed", e.getMessage());
    assertSame(cause, e.getCause());
  }

  @Test
  void anInterruptedWaitKeepsTheFlagAndThrowsTheCallersException() {
    Thread.currentThread().interrupt();
    try {
      IoFailureException e =
          assertThrows(
              IoFailureException.class,
              () ->
                  TaskFailures.await(
                      new CompletableFuture<>(), "the wait", TaskFailuresTest::interrupted));
      assertEquals("cut short", e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
