package org.sentryml.core.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sentryml.core.hashing.NativeSha256;

/**
 * Large read-only mappings of the files one {@link CpuEngine#hash} call reads, shared by the
 * batches that fall in them and unmapped when the last of those batches has been folded. A file is
 * cut into segments of {@link #SEGMENT_BYTES} by absolute offset; segment {@code k} maps {@code [k
 * × SEGMENT_BYTES, (k + 1) × SEGMENT_BYTES + maxBatch)}, so every batch that starts in it lies in
 * it whole.
 *
 * <p>Acquire and release run on the engine's calling thread only; the mapping itself is made by
 * whichever worker first needs it (so the calling thread never waits on a mapping), under the
 * segment's lock.
 */
final class FileSegments implements AutoCloseable {
  /**
   * Bytes per segment. Unmapping costs a TLB shootdown of the process's other CPUs, which a VM
   * turns into hypervisor round trips: 8 MiB windows spent 0.8-1.15 s of kernel time per 4 GiB on
   * two vCPUs, 64 MiB segments a fraction of that. The segment's pages stay mapped until it is
   * released, so its size also bounds how much of the page cache the process has mapped at once
   * (about two segments, plus the batches in flight).
   */
  static final long SEGMENT_BYTES = Long.getLong("sentry.cpu.segmentBytes", 64L << 20);

  private final long maxBatch;
  private final Map<Key, Segment> open = new HashMap<>();

  FileSegments(long maxBatch) {
    this.maxBatch = maxBatch;
  }

  /**
   * A segment's file and index. Not a record: a record's equals and hashCode are bootstrapped
   * through method handles on first use, which cost about 5 ms of every hashing command's start
   * (measured with JFR), for a key looked up once per batch.
   */
  private static final class Key {
    private final Path file;
    private final long index;

    Key(Path file, long index) {
      this.file = file;
      this.index = index;
    }

    Path file() {
      return file;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.index == index && key.file.equals(file);
    }

    @Override
    public int hashCode() {
      return file.hashCode() * 31 + Long.hashCode(index);
    }
  }

  /** One segment: mapped on first use, unmapped when released by its last batch. */
  static final class Segment {
    private final Key key;
    private final long start;
    private final long span;
    private int references;
    private boolean mapped;
    private NativeSha256.Mapping mapping;

    private Segment(Key key, long start, long span) {
      this.key = key;
      this.start = start;
      this.span = span;
    }

    /** The file's absolute offset of the segment's first byte. */
    long start() {
      return start;
    }

    /** The mapping, made on first call; empty when the file cannot be mapped (read it instead). */
    synchronized Optional<NativeSha256.Mapping> mapping() {
      if (!mapped) {
        mapped = true;
        mapping = NativeSha256.map(key.file(), start, span).orElse(null);
      }
      return Optional.ofNullable(mapping);
    }

    private synchronized void unmap() {
      if (mapping != null) {
        NativeSha256.unmap(mapping);
        mapping = null;
      }
    }
  }

  /** The segment that holds bytes {@code [offset, ...)} of {@code file}, with one more user. */
  Segment acquire(Path file, long offset) {
    long index = offset / SEGMENT_BYTES;
    Segment segment =
        open.computeIfAbsent(
            new Key(file, index),
            key -> new Segment(key, index * SEGMENT_BYTES, SEGMENT_BYTES + maxBatch));
    segment.references++;
    return segment;
  }

  /** One user less; the last one unmaps it. No worker may still be reading it for this user. */
  void release(Segment segment) {
    if (--segment.references == 0) {
      open.remove(segment.key);
      segment.unmap();
    }
  }

  /** Unmaps every segment still open; no worker may be reading any of them. */
  @Override
  public void close() {
    List<Segment> left = new ArrayList<>(open.values());
    open.clear();
    left.forEach(Segment::unmap);
  }
}
