package org.sentryml.training.serving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Gathers concurrent prediction requests into one forward pass: the first waiting request opens a
 * batch, which closes when it holds {@code maxBatch} inputs or {@code maxWait} has passed,
 * whichever comes first. The queue of waiting requests is bounded; a full queue refuses at once
 * ({@link ServerBusyException}) rather than growing. One platform thread runs every forward pass
 * (the network is not thread-safe, and native calls would pin a virtual thread anyway). A request
 * that the network refuses as malformed fails alone: its batch is re-run request by request.
 */
public final class MicroBatcher implements AutoCloseable {
  /** A request's answer and the root of the model that gave it. */
  public record Answer(List<Prediction> predictions, String modelRoot) {}

  /** A queued request; compared by identity, so that {@link #STOP} is recognised. */
  private static final class Job {
    private final List<ServingInput> inputs;
    private final CompletableFuture<Answer> answer;

    Job(List<ServingInput> inputs, CompletableFuture<Answer> answer) {
      this.inputs = inputs;
      this.answer = answer;
    }

    List<ServingInput> inputs() {
      return inputs;
    }

    CompletableFuture<Answer> answer() {
      return answer;
    }
  }

  private static final Job STOP = new Job(List.of(), new CompletableFuture<>());

  private final ModelHolder models;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final BlockingQueue<Job> queue;

  /**
   * Inputs submitted and not yet in a running batch (queued, or gathered into the open batch): a
   * submit that makes them reach {@code maxBatch} wakes the worker, which otherwise sleeps through
   * the rest of the wait instead of waking for every request that joins.
   */
  private final AtomicInteger waiting = new AtomicInteger();

  private final ServingMetrics metrics;
  private final Thread worker;

  public MicroBatcher(
      ModelHolder models,
      int maxBatch,
      Duration maxWait,
      int queueCapacity,
      ServingMetrics metrics) {
    if (maxBatch < 1 || queueCapacity < 1 || maxWait.isNegative()) {
      throw new IllegalArgumentException(
          "a batch of at least 1, a queue of at least 1 and a wait of at least 0 are needed");
    }
    this.models = models;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWait.toNanos();
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.metrics = metrics;
    this.worker = Thread.ofPlatform().name("sentry-batcher").daemon().unstarted(this::run);
    worker.start();
  }

  /**
   * Queues {@code inputs} for the next batch.
   *
   * @throws ServerBusyException when the queue is full
   */
  public CompletableFuture<Answer> submit(List<ServingInput> inputs) {
    Job job = new Job(List.copyOf(inputs), new CompletableFuture<>());
    if (!queue.offer(job)) {
      throw new ServerBusyException(
          "the prediction queue is full (" + queue.size() + " requests waiting)");
    }
    int size = job.inputs().size();
    int now = waiting.addAndGet(size);
    if (now >= maxBatch && now - size < maxBatch) {
      LockSupport.unpark(worker);
    }
    return job.answer();
  }

  private void run() {
    List<Job> batch = new ArrayList<>();
    try {
      while (true) {
        Job first = queue.take();
        if (first == STOP) {
          return;
        }
        batch.add(first);
        int inputs = first.inputs().size();
        long deadline = System.nanoTime() + maxWaitNanos;
        boolean stopping = false;
        while (inputs < maxBatch) {
          Job next = queue.poll();
          if (next == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            // Woken early by the submit that fills the batch, or by close().
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
            continue;
          }
          if (next == STOP) {
            stopping = true;
            break;
          }
          batch.add(next);
          inputs += next.inputs().size();
        }
        waiting.addAndGet(-inputs);
        runBatch(batch);
        batch.clear();
        models.sweep();
        if (stopping) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      batch.forEach(job -> job.answer().completeExceptionally(new ServerBusyException("stopping")));
      Job left;
      while ((left = queue.poll()) != null) {
        left.answer().completeExceptionally(new ServerBusyException("the server is stopping"));
      }
    }
  }

  private void runBatch(List<Job> batch) {
    ServedModel model = models.current();
    List<ServingInput> inputs = new ArrayList<>();
    batch.forEach(job -> inputs.addAll(job.inputs()));
    try {
      List<Prediction> predictions = model.predict(inputs);
      metrics.batch(inputs.size());
      int at = 0;
      for (Job job : batch) {
        int size = job.inputs().size();
        job.answer()
            .complete(new Answer(List.copyOf(predictions.subList(at, at + size)), model.root()));
        at += size;
      }
    } catch (MalformedInputException e) {
      if (batch.size() == 1) {
        batch.get(0).answer().completeExceptionally(e);
      } else {
        batch.forEach(job -> runBatch(List.of(job)));
      }
    } catch (RuntimeException e) {
      batch.forEach(job -> job.answer().completeExceptionally(e));
    }
  }

  /** Stops taking work; what is queued is refused; waits for the running batch to end. */
  @Override
  public void close() {
    do {
      Job left;
      while ((left = queue.poll()) != null) {
        left.answer().completeExceptionally(new ServerBusyException("the server is stopping"));
      }
    } while (!queue.offer(STOP));
    LockSupport.unpark(worker);
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
