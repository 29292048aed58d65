package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUcontext;
import org.sentryml.core.engine.ByteRegion;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.ParallelRegionReader;
import org.sentryml.core.engine.RegionReader;

/**
 * cuFile reads of stream windows into ring slots, for the length of one {@code hash()} call: each
 * file is registered with cuFile once, on first use, and deregistered by {@link #close()}. A window
 * is read in pieces on every core; in each piece the part of a file between 4 KiB boundaries goes
 * through cuFile, and the unaligned head and tail around it (which O_DIRECT refuses, and which some
 * cuFile versions refuse even in compat mode) are read into the slot's pinned buffer and copied on
 * the slot's stream. Not thread-safe: one caller, whose pieces run on the reader's pool.
 */
final class DirectReader implements AutoCloseable {
  /**
   * File offset and length granularity of O_DIRECT reads: the page size, a multiple of any block.
   */
  static final long ALIGNMENT = 4096;

  private final CUcontext context;
  private final ParallelRegionReader reader;
  private final Map<Path, CuFile.RegisteredFile> files = new HashMap<>();

  /** A file range cut at ALIGNMENT boundaries: head, whole aligned blocks, tail; lengths add up. */
  record Split(long head, long middle, long tail) {}

  /**
   * @param context made current on each pool thread before it touches device memory
   */
  DirectReader(CUcontext context, ParallelRegionReader reader) {
    this.context = context;
    this.reader = reader;
  }

  /**
   * Cuts {@code count} bytes at {@code fileOffset} into an unaligned head, aligned middle and tail.
   */
  static Split split(long fileOffset, long count) {
    long head = Math.min(count, Math.floorMod(-fileOffset, ALIGNMENT));
    long middle = (count - head) / ALIGNMENT * ALIGNMENT;
    return new Split(head, middle, count - head - middle);
  }

  /**
   * Reads stream bytes [start, start + length) into the slot's device buffer; false, having read
   * nothing, when part of the window is not in a file. The slot must be idle; on return the device
   * buffer holds the window once the slot's stream has run the copies queued on it.
   */
  boolean read(RingSlot slot, List<ByteRegion> regions, long start, int length) {
    List<RegionReader.Piece> pieces = RegionReader.pieces(regions, start, length);
    if (!pieces.stream().allMatch(p -> p.region() instanceof FileRegion)) {
      return false;
    }
    // Registered here, on one thread, so that the pool's tasks only look files up.
    for (RegionReader.Piece piece : pieces) {
      Path file = ((FileRegion) piece.region()).file();
      files.computeIfAbsent(file, f -> new CuFile.RegisteredFile(f, CuFile.nativeGds()));
    }
    reader.inPieces(
        length,
        (from, count) -> {
          cuCtxSetCurrent(context);
          readPiece(slot, regions, start, from, count);
        });
    return true;
  }

  /** Bytes [from, from + count) of the window that starts at stream offset {@code start}. */
  private void readPiece(
      RingSlot slot, List<ByteRegion> regions, long start, long from, long count) {
    for (RegionReader.Piece piece : RegionReader.pieces(regions, start + from, count)) {
      FileRegion file = (FileRegion) piece.region();
      long at = from + piece.at();
      long fileOffset = file.offset() + piece.from();
      Split split = split(fileOffset, piece.count());
      viaPinned(slot, regions, start, at, split.head());
      files
          .get(file.file())
          .readFully(
              slot.device.address(), at + split.head(), split.middle(), fileOffset + split.head());
      viaPinned(slot, regions, start, at + split.head() + split.middle(), split.tail());
    }
  }

  /** Window bytes [at, at + count) through the slot's pinned buffer, at the same offset there. */
  private static void viaPinned(
      RingSlot slot, List<ByteRegion> regions, long start, long at, long count) {
    if (count == 0) {
      return;
    }
    // A view of its own per piece: pieces run at once, and slice() checks against the limit an
    // earlier window or packed launch left on the shared buffer.
    RegionReader.read(
        regions, start + at, slot.hostBuffer.duplicate().clear().slice((int) at, (int) count));
    cuMemcpyHtoDAsync(
        slot.device.withByteOffset(at), slot.host.withByteOffset(at), count, slot.stream);
  }

  @Override
  public void close() {
    files.values().forEach(CuFile.RegisteredFile::close);
    files.clear();
  }
}
