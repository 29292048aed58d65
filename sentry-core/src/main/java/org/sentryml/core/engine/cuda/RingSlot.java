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
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.tree.LtHash16;

/**
 * One stage of the cuda engine's ring: a stream and the pinned host and device memory its work
 * uses, sized once for the worst case (the smallest leaf, the longest digest) so that hashing never
 * allocates per file. Work queued on the stream owns the buffers until {@link #await()}.
 */
final class RingSlot {
  /** Bytes staged per slot: a power of two, so a slot of whole leaves is a complete subtree. */
  static final long BYTES = 64L << 20;
  /** Table rows of a packed slot: (offset, length, first leaf), three little-endian uint64. */
  static final int MAX_ROWS = 16384;
  static final int ROW_BYTES = 24;
  /** The longest digest of any algorithm (BLAKE2b and BLAKE2Xb: 64 bytes). */
  static final int MAX_DIGEST = 64;
  /** Leaf digests of one slot: whole leaves of the smallest size, plus a partial leaf per row. */
  static final long MAX_LEAVES = BYTES / HashingOptions.MIN_LEAF_SIZE + MAX_ROWS;

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

  /** Creates the stream and allocates every buffer in the current context. */
  RingSlot(int index) {
    this.index = index;
    cuStreamCreate(stream, 0);
    cuMemAllocHost(host, BYTES);
    hostBuffer = host.getByteBuffer(0, BYTES);
    cuMemAlloc(device, BYTES);
    cuMemAllocHost(tableHost, (long) MAX_ROWS * ROW_BYTES);
    tableBuffer = tableHost.getByteBuffer(0, (long) MAX_ROWS * ROW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    cuMemAlloc(table, (long) MAX_ROWS * ROW_BYTES);
    cuMemAlloc(digests, MAX_LEAVES * MAX_DIGEST);
    cuMemAlloc(scratch, (MAX_LEAVES + 1) / 2 * MAX_DIGEST);
    cuMemAlloc(roots, (long) MAX_ROWS * MAX_DIGEST);
    cuMemAllocHost(rootsHost, (long) MAX_ROWS * MAX_DIGEST);
    rootsBuffer = rootsHost.getByteBuffer(0, (long) MAX_ROWS * MAX_DIGEST);
    // The expansions of one slot's chunks at the smallest leaf size (32 MiB).
    cuMemAlloc(expansions, BYTES / HashingOptions.MIN_LEAF_SIZE * LtHash16.CHECKSUM_BYTES);
    cuMemAlloc(lanes, LtHash16.CHECKSUM_BYTES);
  }

  /** Waits until everything queued on this slot's stream has finished. */
  void await() {
    cuStreamSynchronize(stream);
  }

  void free() {
    cuStreamDestroy(stream);
    cuMemFreeHost(host);
    cuMemFree(device);
    cuMemFreeHost(tableHost);
    cuMemFree(table);
    cuMemFree(digests);
    cuMemFree(scratch);
    cuMemFree(roots);
    cuMemFreeHost(rootsHost);
    cuMemFree(expansions);
    cuMemFree(lanes);
  }
}
