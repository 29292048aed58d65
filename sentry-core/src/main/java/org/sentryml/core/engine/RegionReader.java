package org.sentryml.core.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.manifest.ByteRegion;
import org.sentryml.core.manifest.ByteRegion.FileRegion;
import org.sentryml.core.manifest.ByteRegion.InlineBytes;
import org.sentryml.core.manifest.ByteRegion.MemoryRegion;

/**
 * Reads a window of a resource's logical stream (the concatenation of its regions) with
 * positional reads, so any number of threads can read disjoint windows of the same file at once.
 */
public final class RegionReader {
  private RegionReader() {}

  /**
   * Fills {@code target} (from its position to its limit) with the stream bytes starting at
   * {@code streamOffset}.
   *
   * @throws SentryException if a file is shorter than when it was listed
   */
  public static void read(List<ByteRegion> regions, long streamOffset, ByteBuffer target) {
    long regionStart = 0;
    for (ByteRegion region : regions) {
      long regionEnd = regionStart + region.length();
      if (!target.hasRemaining()) {
        return;
      }
      if (streamOffset < regionEnd && streamOffset + target.remaining() > regionStart) {
        long from = Math.max(streamOffset, regionStart) - regionStart;
        int count = (int) Math.min(target.remaining(), region.length() - from);
        if (region instanceof FileRegion file) {
          readFile(file, from, count, target);
        } else if (region instanceof MemoryRegion memory) {
          target.put(memory.buffer().slice((int) from, count));
        } else {
          target.put(((InlineBytes) region).bytes(), (int) from, count);
        }
        streamOffset += count;
      }
      regionStart = regionEnd;
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
          throw new SentryException(
              ExitCode.IO_ERROR, "file " + path + " became shorter while it was being hashed");
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
