package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.tree.LtHash16;

/**
 * One stage of the cuda engine's ring: a stream and the pinned host and device memory its work
 * uses, sized once for the worst case (the smallest leaf, the longest digest) so that hashing never
 * allocates per file. Work queued on the stream owns the buffers until {@link #await()}. A slot
 * takes about 257 MiB of pinned host memory and 297 MiB of device memory.
 */
final class RingSlot {
  /**
   * Bytes staged per slot: a power of two, so a slot of whole leaves is a complete subtree. One
   * leaf kernel gets a slot's leaves, one thread each, so the slot bounds how much of the GPU a
   * launch can use: 256 MiB is 4,096 threads at 64 KiB leaves and 1,024 at 256 KiB, enough with
   * three slots in flight to outrun PCIe up to 256 KiB leaves (64 MiB gave 1,024 and 256; see
   * docs/BENCHMARKS.md, "CUDA engine: what the kernels should reach").
   */
  static final long BYTES = 256L << 20;

  /** Table rows of a packed slot: (offset, length, first leaf), three little-endian uint64. */
  static final int MAX_ROWS = 16384;

  static final int ROW_BYTES = 24;

  /** The longest digest of any algorithm (BLAKE2b and BLAKE2Xb: 64 bytes). */
  static final int MAX_DIGEST = 64;

  /** Leaf digests of one slot: whole leaves of the smallest size, plus a partial leaf per row. */
  static final long MAX_LEAVES = BYTES / HashingOptions.MIN_LEAF_SIZE + MAX_ROWS;

  /**
   * Lattice chunks expanded per launch (2048 bytes each, 32 MiB): a slot's 65,536 chunks of 4 KiB
   * are expanded in four launches rather than into 128 MiB at once.
   */
  static final long EXPANSION_CHUNKS = 16384;

  final int index;
  final CUstream stream = new CUstream();
  final Pointer host = new Pointer();
  final DeviceAddress device = new DeviceAddress();
  final Pointer tableHost = new Pointer();
  final CUdeviceptr table = new CUdeviceptr();
  final CUdeviceptr digests = new CUdeviceptr();
  final CUdeviceptr scratch = new CUdeviceptr();
  final CUdeviceptr roots = new CUdeviceptr();
  final Pointer rootsHost = new Pointer();
  final CUdeviceptr expansions = new CUdeviceptr();
  final CUdeviceptr lanes = new CUdeviceptr();
  final ByteBuffer hostBuffer;
  final ByteBuffer tableBuffer;
  final ByteBuffer rootsBuffer;

  /** Resource indices whose roots this slot's last packed launch will deliver. */
  int[] pending = new int[0];

  /** Whether {@link #device} is registered with cuFile (deregistered before it is freed). */
  boolean registeredWithCuFile;

  /** What has been created so far, undone in reverse by {@link #free()}. */
  private final Deque<Runnable> undo = new ArrayDeque<>();

  /**
   * Creates the stream and allocates every buffer in the current context; on a failure (out of
   * memory), frees what it had taken before it throws, since the primary context outlives it.
   */
  RingSlot(int index) {
    this.index = index;
    try {
      cuStreamCreate(stream, 0);
      undo.push(() -> cuStreamDestroy(stream));
      hostBuffer = pinned(host, BYTES);
      device(device, BYTES);
      tableBuffer = pinned(tableHost, (long) MAX_ROWS * ROW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      device(table, (long) MAX_ROWS * ROW_BYTES);
      device(digests, MAX_LEAVES * MAX_DIGEST);
      device(scratch, (MAX_LEAVES + 1) / 2 * MAX_DIGEST);
      device(roots, (long) MAX_ROWS * MAX_DIGEST);
      rootsBuffer = pinned(rootsHost, (long) MAX_ROWS * MAX_DIGEST);
      device(expansions, EXPANSION_CHUNKS * LtHash16.CHECKSUM_BYTES);
      device(lanes, LtHash16.CHECKSUM_BYTES);
    } catch (RuntimeException e) {
      free();
      throw e;
    }
  }

  private ByteBuffer pinned(Pointer pointer, long bytes) {
    cuMemAllocHost(pointer, bytes);
    undo.push(() -> cuMemFreeHost(pointer));
    return pointer.getByteBuffer(0, bytes);
  }

  private void device(CUdeviceptr pointer, long bytes) {
    cuMemAlloc(pointer, bytes);
    undo.push(() -> cuMemFree(pointer));
  }

  /** Waits until everything queued on this slot's stream has finished. */
  void await() {
    cuStreamSynchronize(stream);
  }

  /** Destroys the stream and frees the buffers; the caller has awaited the slot. */
  void free() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }
}
