package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadFatBinary;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.RegionReader;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.core.tree.Topology;

/**
 * The cuda engine: Merkle and lattice digests on device 0 with the kernels of native/cuda, loaded
 * from the packaged fatbin. Files are read into a ring of pinned host buffers, each copied
 * asynchronously on its own stream and hashed there by the leaf (or lattice expansion) kernel while
 * the next buffer is read, so files larger than GPU memory stream through; Merkle levels are reduced
 * on the device and only roots come back. Flat (non-tree) hashes go to a CpuEngine. A known-answer
 * self-test runs in the constructor. Not thread-safe: one caller at a time (the CUDA context is
 * made current on the calling thread).
 *
 * <p>Written without a GPU at hand: it compiles and its probe and fallback paths are tested, but
 * the device path has not been run (see GPU tests, which skip without a usable GPU).
 */
public final class CudaEngine implements HashEngine {
  private static final int RING = 3;
  private static final long BATCH_BYTES = 64L << 20;
  private static final int THREADS = 128;
  private static final int LANES = LtHash16.LANES;

  private final CUcontext context = new CUcontext();
  private final CUmodule module = new CUmodule();
  private final CUfunction leaves = new CUfunction();
  private final CUfunction level = new CUfunction();
  private final CUfunction expand = new CUfunction();
  private final CUfunction reduce = new CUfunction();
  private final CUstream[] streams = new CUstream[RING];
  private final Pointer[] pinned = new Pointer[RING];
  private final ByteBuffer[] pinnedBuffers = new ByteBuffer[RING];
  private final CUdeviceptr[] deviceData = new CUdeviceptr[RING];
  private final CpuEngine flat = new CpuEngine(1);
  private boolean closed;

  /** A buffer already in device memory, hashed in place (the {@code inplace} workflow). */
  public record DeviceBuffer(String name, CUdeviceptr pointer, long length) {
    public DeviceBuffer {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(pointer, "pointer");
      if (length < 0) {
        throw new IllegalArgumentException("length must be >= 0, got " + length);
      }
    }
  }

  /**
   * Opens device 0 and loads the kernels.
   *
   * @throws IllegalStateException with the probe's reason when no usable GPU or kernels exist, or
   *     when the self-test fails
   */
  public CudaEngine() {
    CudaProbe.Availability availability = CudaProbe.probe();
    if (!availability.usable()) {
      throw new IllegalStateException("cuda engine " + availability);
    }
    byte[] fatbin;
    try {
      fatbin = CudaProbe.fatbin().orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the packaged kernels: " + e.getMessage(), e);
    }
    JCudaDriver.setExceptionsEnabled(true);
    cuInit(0);
    CUdevice device = new CUdevice();
    cuDeviceGet(device, 0);
    cuCtxCreate(context, 0, device);
    // JCuda's PTX JIT predates nvcc 13's PTX: the fatbin's cubins are what loads.
    cuModuleLoadFatBinary(module, fatbin);
    cuModuleGetFunction(leaves, module, "sentry_merkle_alg_leaves");
    cuModuleGetFunction(level, module, "sentry_merkle_alg_level");
    cuModuleGetFunction(expand, module, "sentry_lattice_expand_chunks");
    cuModuleGetFunction(reduce, module, "sentry_lattice_reduce");
    for (int i = 0; i < RING; i++) {
      streams[i] = new CUstream();
      cuStreamCreate(streams[i], 0);
      pinned[i] = new Pointer();
      cuMemAllocHost(pinned[i], BATCH_BYTES);
      pinnedBuffers[i] = pinned[i].getByteBuffer(0, BATCH_BYTES);
      deviceData[i] = new CUdeviceptr();
      cuMemAlloc(deviceData[i], BATCH_BYTES);
    }
    selfTest();
  }

  @Override
  public String description() {
    return "cuda (device 0, fatbin kernels)";
  }

  @Override
  public List<ResourceDigest> hash(List<org.sentryml.core.manifest.Resource> resources, HashingOptions options) {
    // Flat hashes are sequential by nature, and leaves larger than one staging buffer (64 MiB)
    // would not fit the ring: both go to the CPU.
    if (options.topology() == Topology.FLAT || options.leafSize() > BATCH_BYTES) {
      return flat.hash(resources, options);
    }
    cuCtxSetCurrent(context);
    List<ResourceDigest> out = new ArrayList<>(resources.size());
    for (var resource : resources) {
      out.add(
          options.topology() == Topology.LATTICE
              ? lattice(resource.name(), resource.regions(), resource.size(), options)
              : merkle(resource.name(), resource.regions(), resource.size(), options));
    }
    return out;
  }

  /**
   * Merkle roots of buffers already in device memory (one tree per buffer, the {@code inplace}
   * workflow): no staging copy, only the roots come back. The pointers must belong to this
   * engine's context (device 0). Lattice options are not supported here.
   *
   * @throws IllegalArgumentException for a topology other than merkle
   * @throws jcuda.CudaException when a driver call fails
   */
  public List<ResourceDigest> hashDevice(List<DeviceBuffer> buffers, HashingOptions options) {
    if (options.topology() != Topology.MERKLE) {
      throw new IllegalArgumentException("in-place hashing supports the merkle topology, not " + options.topology());
    }
    Objects.requireNonNull(buffers, "buffers");
    cuCtxSetCurrent(context);
    List<ResourceDigest> out = new ArrayList<>(buffers.size());
    for (DeviceBuffer b : buffers) {
      int d = options.algorithm().digestLength();
      long n = leafCount(b.length(), options.leafSize());
      if (n == 0) {
        out.add(merkleResult(b.name(), options, options.algorithm().hash(new byte[0])));
        continue;
      }
      CUdeviceptr digests = new CUdeviceptr();
      cuMemAlloc(digests, n * d);
      try {
        launchLeaves(options, b.pointer(), b.length(), digests, null);
        cuCtxSynchronize();
        out.add(merkleResult(b.name(), options, reduceLevels(options.algorithm(), digests, n)));
      } finally {
        cuMemFree(digests);
      }
    }
    return out;
  }

  private ResourceDigest merkle(
      String name, List<org.sentryml.core.manifest.ByteRegion> regions, long size, HashingOptions options) {
    int d = options.algorithm().digestLength();
    long n = leafCount(size, options.leafSize());
    if (n == 0) {
      return merkleResult(name, options, options.algorithm().hash(new byte[0]));
    }
    CUdeviceptr digests = new CUdeviceptr();
    cuMemAlloc(digests, n * d);
    try {
      long batch = BATCH_BYTES / options.leafSize() * options.leafSize();
      int slot = 0;
      for (long start = 0; start < size; start += batch, slot = (slot + 1) % RING) {
        int length = (int) Math.min(batch, size - start);
        stage(regions, start, length, slot);
        CUdeviceptr target = digests.withByteOffset(start / options.leafSize() * d);
        launchLeaves(options, deviceData[slot], length, target, streams[slot]);
      }
      syncAll();
      return merkleResult(name, options, reduceLevels(options.algorithm(), digests, n));
    } finally {
      cuMemFree(digests);
    }
  }

  private ResourceDigest lattice(
      String name, List<org.sentryml.core.manifest.ByteRegion> regions, long size, HashingOptions options) {
    long leaf = options.leafSize();
    long batch = BATCH_BYTES / leaf * leaf;
    long chunksPerBatch = batch / leaf;
    CUdeviceptr[] expansions = new CUdeviceptr[RING];
    CUdeviceptr[] lanes = new CUdeviceptr[RING];
    try {
      for (int i = 0; i < RING; i++) {
        expansions[i] = new CUdeviceptr();
        cuMemAlloc(expansions[i], chunksPerBatch * LtHash16.CHECKSUM_BYTES);
        lanes[i] = new CUdeviceptr();
        cuMemAlloc(lanes[i], LtHash16.CHECKSUM_BYTES);
        cuMemsetD8(lanes[i], (byte) 0, LtHash16.CHECKSUM_BYTES);
      }
      int slot = 0;
      for (long start = 0; start < size; start += batch, slot = (slot + 1) % RING) {
        int length = (int) Math.min(batch, size - start);
        stage(regions, start, length, slot);
        long chunks = leafCount(length, leaf);
        cuLaunchKernel(
            expand, grid(chunks), 1, 1, THREADS, 1, 1, 0, streams[slot],
            Pointer.to(
                Pointer.to(deviceData[slot]), Pointer.to(new long[] {length}), Pointer.to(new long[] {leaf}),
                Pointer.to(new long[] {start}), Pointer.to(expansions[slot])),
            null);
        // Each slot sums into its own lanes, so streams never race on one accumulator.
        cuLaunchKernel(
            reduce, LANES, 1, 1, 256, 1, 1, 256 * 4, streams[slot],
            Pointer.to(Pointer.to(expansions[slot]), Pointer.to(new long[] {chunks}), Pointer.to(lanes[slot])),
            null);
      }
      syncAll();
      LtHash16 total = new LtHash16();
      for (int i = 0; i < RING; i++) {
        byte[] part = new byte[LtHash16.CHECKSUM_BYTES];
        cuMemcpyDtoH(Pointer.to(part), lanes[i], part.length);
        total.add(LtHash16.fromChecksum(part));
      }
      return new ResourceDigest(name, new Digest(options.digestName(), total.digest()), total.checksum());
    } finally {
      for (int i = 0; i < RING; i++) {
        if (expansions[i] != null) {
          cuMemFree(expansions[i]);
        }
        if (lanes[i] != null) {
          cuMemFree(lanes[i]);
        }
      }
    }
  }

  /** Waits until slot's previous copy is done, reads the next bytes into its pinned buffer, copies. */
  private void stage(List<org.sentryml.core.manifest.ByteRegion> regions, long start, int length, int slot) {
    cuStreamSynchronize(streams[slot]);
    ByteBuffer buffer = pinnedBuffers[slot].clear().limit(length);
    RegionReader.read(regions, start, buffer);
    cuMemcpyHtoDAsync(deviceData[slot], pinned[slot], length, streams[slot]);
  }

  private void launchLeaves(HashingOptions options, CUdeviceptr data, long length, CUdeviceptr out, CUstream stream) {
    long n = leafCount(length, options.leafSize());
    cuLaunchKernel(
        leaves, grid(n), 1, 1, THREADS, 1, 1, 0, stream,
        Pointer.to(
            Pointer.to(new int[] {options.algorithm().ordinal()}), Pointer.to(data),
            Pointer.to(new long[] {length}), Pointer.to(new long[] {options.leafSize()}), Pointer.to(out)),
        null);
  }

  /** Reduces n >= 1 leaf digests on the device, level by level, and returns the root. */
  private byte[] reduceLevels(HashAlgorithm algorithm, CUdeviceptr digests, long n) {
    int d = algorithm.digestLength();
    CUdeviceptr scratch = new CUdeviceptr();
    cuMemAlloc(scratch, Math.max(1, (n + 1) / 2) * d);
    try {
      CUdeviceptr in = digests;
      CUdeviceptr out = scratch;
      for (long m = n; m > 1; m = (m + 1) / 2) {
        cuLaunchKernel(
            level, grid((m + 1) / 2), 1, 1, THREADS, 1, 1, 0, null,
            Pointer.to(
                Pointer.to(new int[] {algorithm.ordinal()}), Pointer.to(in), Pointer.to(new long[] {m}),
                Pointer.to(out)),
            null);
        CUdeviceptr t = in;
        in = out;
        out = t;
      }
      byte[] root = new byte[d];
      cuMemcpyDtoH(Pointer.to(root), in, d);
      return root;
    } finally {
      cuMemFree(scratch);
    }
  }

  private static ResourceDigest merkleResult(String name, HashingOptions options, byte[] root) {
    return new ResourceDigest(name, new Digest(options.digestName(), root));
  }

  private static long leafCount(long length, long leaf) {
    return length == 0 ? 0 : (length + leaf - 1) / leaf;
  }

  private static int grid(long items) {
    return (int) Math.max(1, Math.min((items + THREADS - 1) / THREADS, 65535));
  }

  private void syncAll() {
    for (CUstream s : streams) {
      cuStreamSynchronize(s);
    }
  }

  /**
   * One-leaf Merkle roots of "abc" per algorithm, computed in device memory and compared with the
   * Java hash of 0x00 ‖ "abc": catches a fatbin that loads but computes wrongly.
   */
  private void selfTest() {
    byte[] abc = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    CUdeviceptr data = new CUdeviceptr();
    cuMemAlloc(data, abc.length);
    try {
      cuMemcpyHtoD(data, Pointer.to(abc), abc.length);
      for (HashAlgorithm algorithm : HashAlgorithm.values()) {
        HashingOptions options = HashingOptions.merkle(algorithm, HashingOptions.MIN_LEAF_SIZE);
        byte[] got = hashDevice(List.of(new DeviceBuffer("selftest", data, abc.length)), options).get(0).digest().value();
        byte[] want = algorithm.hash(new byte[] {0, 'a', 'b', 'c'});
        if (!Arrays.equals(got, want)) {
          close();
          throw new IllegalStateException(
              String.format(Locale.ROOT, "cuda self-test failed for %s: expected %s, got %s", algorithm.id(),
                  java.util.HexFormat.of().formatHex(want), java.util.HexFormat.of().formatHex(got)));
        }
      }
    } finally {
      if (!closed) {
        cuMemFree(data);
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    flat.close();
    cuCtxSetCurrent(context);
    for (int i = 0; i < RING; i++) {
      if (deviceData[i] != null) {
        cuMemFree(deviceData[i]);
      }
      if (pinned[i] != null) {
        cuMemFreeHost(pinned[i]);
      }
      if (streams[i] != null) {
        cuStreamDestroy(streams[i]);
      }
    }
    cuModuleUnload(module);
    cuCtxDestroy(context);
  }
}
