package org.sentryml.core.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Fills one large buffer from a resource's stream with several positional reads at once. One thread
 * copies from the page cache at a few GB/s, a fraction of what a GPU's host-to-device copy takes;
 * pieces of at least {@link #MIN_PIECE} bytes read on a pool sized to the cores keep the cuda
 * engine's pinned buffers filling at the speed of memory instead.
 */
public final class ParallelRegionReader implements AutoCloseable {
  /** Smallest piece worth a task of its own. */
  static final int MIN_PIECE = 4 << 20;

  private final int threads;
  private final ExecutorService pool;

  public ParallelRegionReader(int threads) {
    this.pool = DaemonPool.fixed("sentry-read", threads);
    this.threads = threads;
  }

  /** Work on one piece of a window: bytes [from, from + length) of it. */
  @FunctionalInterface
  public interface PieceTask {
    void run(long from, int length);
  }

  /**
   * As {@link RegionReader#read}: fills {@code target} from its position to its limit with the
   * stream bytes starting at {@code streamOffset}, and leaves its position at the limit.
   *
   * @throws org.sentryml.core.errors.SentryException as RegionReader does (the first failure)
   */
  public void read(List<ByteRegion> regions, long streamOffset, ByteBuffer target) {
    int base = target.position();
    inPieces(
        target.remaining(),
        (from, length) ->
            RegionReader.read(
                regions, streamOffset + from, target.slice(base + (int) from, length)));
    target.position(target.limit());
  }

  /**
   * Splits [0, total) into at most one piece per thread, none smaller than {@link #MIN_PIECE} (a
   * window under two pieces runs on the calling thread), runs the task on each piece at once and
   * returns when all are done.
   *
   * @throws RuntimeException the first failure of a piece, as thrown
   */
  public void inPieces(int total, PieceTask task) {
    int pieces = Math.max(1, Math.min(threads, total / MIN_PIECE));
    if (pieces == 1) {
      task.run(0, total);
      return;
    }
    int step = (total + pieces - 1) / pieces;
    List<CompletableFuture<Void>> runs = new ArrayList<>(pieces);
    for (int from = 0; from < total; from += step) {
      int at = from;
      int length = Math.min(step, total - from);
      runs.add(CompletableFuture.runAsync(() -> task.run(at, length), pool));
    }
    DaemonPool.join(CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
