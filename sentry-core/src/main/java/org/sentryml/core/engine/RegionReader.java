package org.sentryml.core.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.ByteRegion.InlineBytes;
import org.sentryml.core.engine.ByteRegion.MemoryRegion;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;

/**
 * Reads a window of a resource's logical stream (the concatenation of its regions) with positional
 * reads, so any number of threads can read disjoint windows of the same file at once.
 */
public final class RegionReader {
  private RegionReader() {}

  /**
   * A run of a stream window that lies in one region: bytes [from, from + count) of {@code region},
   * which are bytes [at, at + count) of the window.
   */
  public record Piece(ByteRegion region, long from, long at, long count) {}

  /**
   * The pieces of stream window [start, start + length), in stream order; they cover fewer than
   * {@code length} bytes only where the stream ends first.
   */
  public static List<Piece> pieces(List<ByteRegion> regions, long start, long length) {
    List<Piece> pieces = new ArrayList<>();
    long end = start + length;
    long regionStart = 0;
    for (ByteRegion region : regions) {
      long regionEnd = regionStart + region.length();
      long from = Math.max(start, regionStart);
      long to = Math.min(end, regionEnd);
      if (from < to) {
        pieces.add(new Piece(region, from - regionStart, from - start, to - from));
      }
      if (regionEnd >= end) {
        break;
      }
      regionStart = regionEnd;
    }
    return pieces;
  }

  /**
   * Fills {@code target} (from its position to its limit) with the stream bytes starting at {@code
   * streamOffset}.
   *
   * @throws SentryException if a file is shorter than when it was listed
   */
  public static void read(List<ByteRegion> regions, long streamOffset, ByteBuffer target) {
    for (Piece piece : pieces(regions, streamOffset, target.remaining())) {
      int count = (int) piece.count();
      if (piece.region() instanceof FileRegion file) {
        readFile(file, piece.from(), count, target);
      } else if (piece.region() instanceof MemoryRegion memory) {
        target.put(memory.buffer().slice((int) piece.from(), count));
      } else {
        target.put(((InlineBytes) piece.region()).bytes(), (int) piece.from(), count);
      }
    }
    if (target.hasRemaining()) {
      throw new IllegalArgumentException("read past the end of the resource stream");
    }
  }

  private static void readFile(FileRegion region, long from, int count, ByteBuffer target) {
    Path path = region.file();
    int limit = target.limit();
    target.limit(target.position() + count);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long position = region.offset() + from;
      while (target.hasRemaining()) {
        int n = channel.read(target, position);
        if (n < 0) {
          throw new IoFailureException(
              "file " + path + " became shorter while it was being hashed");
        }
        position += n;
      }
    } catch (IOException e) {
      throw PathProblems.classify(path, e);
    } finally {
      target.limit(limit);
    }
  }
}
