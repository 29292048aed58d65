package org.sentryml.core.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.sentryml.core.manifest.ByteRegion;

/**
 * Fills one large buffer from a resource's stream with several positional reads at once. One
 * thread copies from the page cache at a few GB/s, a fraction of what a GPU's host-to-device copy
 * takes; pieces of at least {@link #MIN_PIECE} bytes read on a pool sized to the cores keep the
 * cuda engine's pinned buffers filling at the speed of memory instead.
 */
public final class ParallelRegionReader implements AutoCloseable {
  /** Smallest piece worth a task of its own. */
  static final int MIN_PIECE = 4 << 20;

  private final int threads;
  private final ExecutorService pool;

  public ParallelRegionReader(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, not " + threads);
    }
    this.threads = threads;
    AtomicInteger counter = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sentry-read-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * As {@link RegionReader#read}: fills {@code target} from its position to its limit with the
   * stream bytes starting at {@code streamOffset}, and leaves its position at the limit.
   *
   * @throws org.sentryml.core.errors.SentryException as RegionReader does (the first failure)
   */
  public void read(List<ByteRegion> regions, long streamOffset, ByteBuffer target) {
    int length = target.remaining();
    int pieces = Math.max(1, Math.min(threads, length / MIN_PIECE));
    if (pieces == 1) {
      RegionReader.read(regions, streamOffset, target);
      return;
    }
    int base = target.position();
    int step = (length + pieces - 1) / pieces;
    List<CompletableFuture<Void>> reads = new ArrayList<>(pieces);
    for (int from = 0; from < length; from += step) {
      ByteBuffer slice = target.slice(base + from, Math.min(step, length - from));
      long offset = streamOffset + from;
      reads.add(CompletableFuture.runAsync(() -> RegionReader.read(regions, offset, slice), pool));
    }
    try {
      CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    target.position(target.limit());
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
