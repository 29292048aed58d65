package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadFatBinary;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.sentryml.core.manifest.ByteRegion.FileRegion;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.core.tree.Topology;

/**
 * The cuda engine: Merkle and lattice digests on device 0 with the kernels of native/cuda, loaded
 * from the packaged fatbin. Files reach the device through a ring of slots, each with its own
 * stream: a slot's bytes are read into its pinned host buffer and copied asynchronously (or read
 * straight into device memory by cuFile, see {@link CuFile}) and hashed on that stream while the
 * next slot is filled, so files larger than GPU memory stream through; Merkle levels are reduced
 * on the device and only roots come back. Small files are packed many to a slot and hashed by one
 * launch through a table of (offset, length, first leaf). Flat (non-tree) hashes go to a
 * CpuEngine. A known-answer self-test runs in the constructor. Not thread-safe: one caller at a
 * time (the CUDA context is made current on the calling thread).
 *
 * <p>Written without a GPU at hand: it compiles, its kernels' algorithms are checked on the host
 * (HostCompiledHashesTest) and its probe and fallback paths are tested, but the device path has not
 * been run (see CudaEngineGpuTest, which skips without a usable GPU).
 */
public final class CudaEngine implements HashEngine {
  private static final int RING = 3;
  private static final long BATCH_BYTES = 64L << 20;
  private static final int THREADS = 128;
  private static final int LANES = LtHash16.LANES;
  /** Files up to this size are packed into shared slots rather than given slots of their own. */
  private static final long SMALL_FILE_BYTES = 1L << 20;
  /** Table rows per packed slot; with 4 KiB leaves a slot then holds at most 32768 leaf digests. */
  private static final int MAX_ROWS = 16384;
  private static final int ROW_BYTES = 24;
  /** The longest digest of any algorithm (BLAKE2b and BLAKE2Xb: 64 bytes). */
  private static final int MAX_DIGEST = 64;
  private static final long MAX_BATCH_LEAVES = BATCH_BYTES / HashingOptions.MIN_LEAF_SIZE + MAX_ROWS;

  private final CUcontext context = new CUcontext();
  private final CUmodule module = new CUmodule();
  private final CUfunction leaves = new CUfunction();
  private final CUfunction level = new CUfunction();
  private final CUfunction sha256Leaves = new CUfunction();
  private final CUfunction sha256Level = new CUfunction();
  private final CUfunction expand = new CUfunction();
  private final CUfunction reduce = new CUfunction();
  private final CUfunction batchLeaves = new CUfunction();
  private final CUfunction batchRoots = new CUfunction();
  private final Slot[] slots = new Slot[RING];
  private final CpuEngine flat = new CpuEngine(1);
  private final String deviceName;
  private final CudaProbe.Availability directReads;
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

  /** One stage of the ring: a stream and the host and device memory it owns. */
  private static final class Slot {
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
    final int index;
    ByteBuffer hostBuffer;
    ByteBuffer tableBuffer;
    ByteBuffer rootsBuffer;
    /** Resource indices whose roots this slot's last packed launch will deliver. */
    int[] pending = new int[0];
    boolean allocated;

    Slot(int index) {
      this.index = index;
    }

    void allocate() {
      cuStreamCreate(stream, 0);
      cuMemAllocHost(host, BATCH_BYTES);
      hostBuffer = host.getByteBuffer(0, BATCH_BYTES);
      cuMemAlloc(device, BATCH_BYTES);
      cuMemAllocHost(tableHost, (long) MAX_ROWS * ROW_BYTES);
      tableBuffer = tableHost.getByteBuffer(0, (long) MAX_ROWS * ROW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      cuMemAlloc(table, (long) MAX_ROWS * ROW_BYTES);
      cuMemAlloc(digests, MAX_BATCH_LEAVES * MAX_DIGEST);
      cuMemAlloc(scratch, (MAX_BATCH_LEAVES + 1) / 2 * MAX_DIGEST);
      cuMemAlloc(roots, (long) MAX_ROWS * MAX_DIGEST);
      cuMemAllocHost(rootsHost, (long) MAX_ROWS * MAX_DIGEST);
      rootsBuffer = rootsHost.getByteBuffer(0, (long) MAX_ROWS * MAX_DIGEST);
      // Room for the expansions of one slot's chunks at the smallest leaf size (32 MiB).
      cuMemAlloc(expansions, BATCH_BYTES / HashingOptions.MIN_LEAF_SIZE * LtHash16.CHECKSUM_BYTES);
      cuMemAlloc(lanes, LtHash16.CHECKSUM_BYTES);
      allocated = true;
    }

    void free() {
      if (!allocated) {
        return;
      }
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

  /**
   * Opens device 0 and loads the kernels; files are read by cuFile when the process environment
   * names a cuFile configuration (see {@link CuFile}).
   *
   * @throws IllegalStateException with the probe's reason when no usable GPU or kernels exist, or
   *     when the self-test fails
   */
  public CudaEngine() {
    this(System.getenv());
  }

  /** As {@link #CudaEngine()}, with the cuFile decision taken from {@code environment}. */
  CudaEngine(Map<String, String> environment) {
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
    byte[] name = new byte[256];
    cuDeviceGetName(name, name.length, device);
    deviceName = new String(name, 0, indexOfZero(name), StandardCharsets.US_ASCII);
    cuCtxCreate(context, 0, device);
    // JCuda's PTX JIT predates nvcc 13's PTX: the fatbin's cubins are what loads.
    cuModuleLoadFatBinary(module, fatbin);
    cuModuleGetFunction(leaves, module, "sentry_merkle_alg_leaves");
    cuModuleGetFunction(level, module, "sentry_merkle_alg_level");
    // SHA-256 alone: 72 registers and no large stack frame, against 128 and 1.3 KB for the kernel
    // that carries every algorithm's state (ptxas -v, sm_90).
    cuModuleGetFunction(sha256Leaves, module, "sentry_merkle_leaves");
    cuModuleGetFunction(sha256Level, module, "sentry_merkle_level");
    cuModuleGetFunction(expand, module, "sentry_lattice_expand_chunks");
    cuModuleGetFunction(reduce, module, "sentry_lattice_reduce");
    cuModuleGetFunction(batchLeaves, module, "sentry_merkle_batch_leaves");
    cuModuleGetFunction(batchRoots, module, "sentry_merkle_batch_roots");
    for (int i = 0; i < RING; i++) {
      slots[i] = new Slot(i);
      slots[i].allocate();
    }
    directReads = CuFile.probe(environment);
    selfTest();
  }

  /** Says which device, and how files reach it: cuFile (and in which mode), or pinned buffers and why. */
  @Override
  public String description() {
    String reads =
        directReads.usable()
            ? "files read by " + directReads.reason()
            : "files read through pinned buffers because " + directReads.reason();
    return "cuda (device 0: " + deviceName + "; " + reads + ")";
  }

  /** Whether files are read into device memory by cuFile rather than through pinned buffers. */
  boolean readsDirect() {
    return directReads.usable();
  }

  /** Makes this engine's context current on the calling thread (for callers allocating device memory). */
  void makeCurrent() {
    cuCtxSetCurrent(context);
  }

  @Override
  public List<ResourceDigest> hash(List<org.sentryml.core.manifest.Resource> resources, HashingOptions options) {
    // Flat hashes are sequential by nature, and leaves larger than one slot (64 MiB) would not fit
    // the ring: both go to the CPU.
    if (options.topology() == Topology.FLAT || options.leafSize() > BATCH_BYTES) {
      return flat.hash(resources, options);
    }
    cuCtxSetCurrent(context);
    ResourceDigest[] out = new ResourceDigest[resources.size()];
    List<Integer> small = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      var resource = resources.get(i);
      if (options.topology() == Topology.MERKLE && resource.size() <= SMALL_FILE_BYTES) {
        small.add(i);
      } else if (options.topology() == Topology.LATTICE) {
        out[i] = lattice(resource.name(), resource.regions(), resource.size(), options);
      } else {
        out[i] = merkle(resource.name(), resource.regions(), resource.size(), options);
      }
    }
    packedMerkle(resources, small, options, out);
    return List.of(out);
  }

  /**
   * Digests of buffers already in device memory (one tree or lattice per buffer, the {@code
   * inplace} workflow): no staging copy, only the results come back. The pointers must belong to
   * this engine's context (device 0).
   *
   * @throws IllegalArgumentException for the flat topology
   * @throws jcuda.CudaException when a driver call fails
   */
  public List<ResourceDigest> hashDevice(List<DeviceBuffer> buffers, HashingOptions options) {
    if (options.topology() == Topology.FLAT) {
      throw new IllegalArgumentException("in-place hashing supports the merkle and lattice topologies, not flat");
    }
    Objects.requireNonNull(buffers, "buffers");
    cuCtxSetCurrent(context);
    List<ResourceDigest> out = new ArrayList<>(buffers.size());
    for (DeviceBuffer b : buffers) {
      if (options.topology() == Topology.LATTICE) {
        LatticeSums sums = new LatticeSums(options.leafSize());
        for (long start = 0; start < b.length(); start += sums.batch) {
          long length = Math.min(sums.batch, b.length() - start);
          sums.add(slots[0], b.pointer().withByteOffset(start), start, length);
        }
        out.add(sums.result(b.name(), options));
        continue;
      }
      int d = options.algorithm().digestLength();
      long n = leafCount(b.length(), options.leafSize());
      if (n == 0) {
        out.add(merkleResult(b.name(), options, options.algorithm().hash(new byte[0])));
        continue;
      }
      CUdeviceptr digests = new CUdeviceptr();
      CUdeviceptr scratch = new CUdeviceptr();
      cuMemAlloc(digests, n * d);
      cuMemAlloc(scratch, Math.max(1, (n + 1) / 2) * d);
      try {
        launchLeaves(options, b.pointer(), b.length(), digests, null);
        CUdeviceptr root = reduceOnDevice(options.algorithm(), digests, scratch, n, null);
        out.add(merkleResult(b.name(), options, copyRoot(root, d)));
      } finally {
        cuMemFree(digests);
        cuMemFree(scratch);
      }
    }
    return out;
  }

  /**
   * A file's Merkle root with device memory bounded by the slots, not by the file: every slot
   * holds a whole number of leaves that is a power of two (64 MiB / leaf) starting at a multiple
   * of itself, so it is a complete RFC 6962 subtree, reduced on the device to one root; the tree
   * over those roots, split the same way, gives the file's root.
   */
  private ResourceDigest merkle(
      String name, List<org.sentryml.core.manifest.ByteRegion> regions, long size, HashingOptions options) {
    int d = options.algorithm().digestLength();
    if (size == 0) {
      return merkleResult(name, options, options.algorithm().hash(new byte[0]));
    }
    long batch = BATCH_BYTES / options.leafSize() * options.leafSize();
    long batches = (size + batch - 1) / batch;
    CUdeviceptr subtreeRoots = new CUdeviceptr();
    CUdeviceptr scratch = new CUdeviceptr();
    cuMemAlloc(subtreeRoots, batches * d);
    cuMemAlloc(scratch, Math.max(1, (batches + 1) / 2) * d);
    try {
      int next = 0;
      for (long b = 0; b < batches; b++, next = (next + 1) % RING) {
        Slot slot = slots[next];
        long start = b * batch;
        int length = (int) Math.min(batch, size - start);
        stage(slot, regions, start, length);
        launchLeaves(options, slot.device, length, slot.digests, slot.stream);
        CUdeviceptr root =
            reduceOnDevice(options.algorithm(), slot.digests, slot.scratch, leafCount(length, options.leafSize()), slot.stream);
        cuMemcpyDtoDAsync(subtreeRoots.withByteOffset(b * d), root, d, slot.stream);
      }
      syncAll();
      CUdeviceptr root = reduceOnDevice(options.algorithm(), subtreeRoots, scratch, batches, null);
      return merkleResult(name, options, copyRoot(root, d));
    } finally {
      cuMemFree(subtreeRoots);
      cuMemFree(scratch);
    }
  }

  private ResourceDigest lattice(
      String name, List<org.sentryml.core.manifest.ByteRegion> regions, long size, HashingOptions options) {
    LatticeSums sums = new LatticeSums(options.leafSize());
    int next = 0;
    for (long start = 0; start < size; start += sums.batch, next = (next + 1) % RING) {
      Slot slot = slots[next];
      int length = (int) Math.min(sums.batch, size - start);
      stage(slot, regions, start, length);
      sums.add(slot, slot.device, start, length);
    }
    return sums.result(name, options);
  }

  /**
   * One lattice accumulated on the device: chunks are expanded and summed on each slot's stream
   * into that slot's own lanes, so streams never race on one accumulator; the lanes of the slots
   * used are added on the host at the end. Sums mod 2^16 commute, so the order is free.
   */
  private final class LatticeSums {
    final long leaf;
    final long batch;
    final boolean[] used = new boolean[RING];

    LatticeSums(long leaf) {
      this.leaf = leaf;
      this.batch = BATCH_BYTES / leaf * leaf;
      for (Slot slot : slots) {
        cuMemsetD8Async(slot.lanes, (byte) 0, LtHash16.CHECKSUM_BYTES, slot.stream);
      }
    }

    /** Folds bytes [start, start + length) of the stream, found at data, on the slot's stream. */
    void add(Slot slot, CUdeviceptr data, long start, long length) {
      used[slot.index] = true;
      long chunks = leafCount(length, leaf);
      cuLaunchKernel(
          expand, grid(chunks), 1, 1, THREADS, 1, 1, 0, slot.stream,
          Pointer.to(
              Pointer.to(data), Pointer.to(new long[] {length}), Pointer.to(new long[] {leaf}),
              Pointer.to(new long[] {start}), Pointer.to(slot.expansions)),
          null);
      cuLaunchKernel(
          reduce, LANES, 1, 1, 256, 1, 1, 256 * 4, slot.stream,
          Pointer.to(Pointer.to(slot.expansions), Pointer.to(new long[] {chunks}), Pointer.to(slot.lanes)),
          null);
    }

    ResourceDigest result(String name, HashingOptions options) {
      LtHash16 total = new LtHash16();
      for (Slot slot : slots) {
        cuStreamSynchronize(slot.stream);
        if (used[slot.index]) {
          byte[] part = new byte[LtHash16.CHECKSUM_BYTES];
          cuMemcpyDtoH(Pointer.to(part), slot.lanes, part.length);
          total.add(LtHash16.fromChecksum(part));
        }
      }
      return new ResourceDigest(name, new Digest(options.digestName(), total.digest()), total.checksum());
    }
  }

  /**
   * Merkle roots of the small resources at the given indices, many per slot: their bytes back to
   * back in the slot's buffer, one table row each, one leaf launch and one root launch per slot,
   * and only the roots copied back.
   */
  private void packedMerkle(
      List<org.sentryml.core.manifest.Resource> resources, List<Integer> indices, HashingOptions options,
      ResourceDigest[] out) {
    try {
      packInto(resources, indices, options, out);
    } finally {
      // After a failure, roots still pending must not be delivered into a later call's results.
      for (Slot slot : slots) {
        slot.pending = new int[0];
      }
    }
  }

  private void packInto(
      List<org.sentryml.core.manifest.Resource> resources, List<Integer> indices, HashingOptions options,
      ResourceDigest[] out) {
    int leaf = options.leafSize();
    int next = 0;
    for (int i = 0; i < indices.size(); next = (next + 1) % RING) {
      Slot slot = slots[next];
      cuStreamSynchronize(slot.stream);
      collectRoots(slot, resources, options, out);
      ByteBuffer table = slot.tableBuffer.clear();
      long used = 0;
      long leafTotal = 0;
      int rows = 0;
      int[] pending = new int[Math.min(MAX_ROWS, indices.size() - i)];
      while (i < indices.size() && rows < MAX_ROWS) {
        var resource = resources.get(indices.get(i));
        if (used + resource.size() > BATCH_BYTES) {
          break;
        }
        ByteBuffer target = slot.hostBuffer.clear().position((int) used).limit((int) (used + resource.size()));
        RegionReader.read(resource.regions(), 0, target);
        table.putLong(used).putLong(resource.size()).putLong(leafTotal);
        pending[rows++] = indices.get(i++);
        used += resource.size();
        leafTotal += leafCount(resource.size(), leaf);
      }
      slot.pending = Arrays.copyOf(pending, rows);
      int d = options.algorithm().digestLength();
      int alg = options.algorithm().ordinal();
      if (used > 0) {
        cuMemcpyHtoDAsync(slot.device, slot.host, used, slot.stream);
      }
      cuMemcpyHtoDAsync(slot.table, slot.tableHost, (long) rows * ROW_BYTES, slot.stream);
      if (leafTotal > 0) {
        cuLaunchKernel(
            batchLeaves, grid(leafTotal), 1, 1, THREADS, 1, 1, 0, slot.stream,
            Pointer.to(
                Pointer.to(new int[] {alg}), Pointer.to(slot.device), Pointer.to(slot.table),
                Pointer.to(new long[] {rows}), Pointer.to(new long[] {leafTotal}), Pointer.to(new long[] {leaf}),
                Pointer.to(slot.digests)),
            null);
      }
      cuLaunchKernel(
          batchRoots, grid(rows), 1, 1, THREADS, 1, 1, 0, slot.stream,
          Pointer.to(
              Pointer.to(new int[] {alg}), Pointer.to(slot.table), Pointer.to(new long[] {rows}),
              Pointer.to(new long[] {leaf}), Pointer.to(slot.digests), Pointer.to(slot.roots)),
          null);
      cuMemcpyDtoHAsync(slot.rootsHost, slot.roots, (long) rows * d, slot.stream);
    }
    for (Slot slot : slots) {
      cuStreamSynchronize(slot.stream);
      collectRoots(slot, resources, options, out);
    }
  }

  /** Stores the roots a finished packed launch left in the slot's pinned buffer. */
  private static void collectRoots(
      Slot slot, List<org.sentryml.core.manifest.Resource> resources, HashingOptions options, ResourceDigest[] out) {
    int d = options.algorithm().digestLength();
    for (int row = 0; row < slot.pending.length; row++) {
      byte[] root = new byte[d];
      slot.rootsBuffer.get(row * d, root);
      int index = slot.pending[row];
      out[index] = merkleResult(resources.get(index).name(), options, root);
    }
    slot.pending = new int[0];
  }

  /**
   * Puts stream bytes [start, start + length) into the slot's device buffer, once the slot's
   * previous work is done: by cuFile straight from the files when it is usable and every byte
   * comes from a file, else through the pinned buffer and an asynchronous copy.
   */
  private void stage(Slot slot, List<org.sentryml.core.manifest.ByteRegion> regions, long start, int length) {
    cuStreamSynchronize(slot.stream);
    if (directReads.usable() && readDirect(slot, regions, start, length)) {
      return;
    }
    ByteBuffer buffer = slot.hostBuffer.clear().limit(length);
    RegionReader.read(regions, start, buffer);
    cuMemcpyHtoDAsync(slot.device, slot.host, length, slot.stream);
  }

  /** cuFile reads of the window; false, having read nothing, when part of it is not in a file. */
  private static boolean readDirect(
      Slot slot, List<org.sentryml.core.manifest.ByteRegion> regions, long start, long length) {
    List<long[]> pieces = new ArrayList<>();
    List<FileRegion> files = new ArrayList<>();
    long regionStart = 0;
    for (var region : regions) {
      long regionEnd = regionStart + region.length();
      long from = Math.max(start, regionStart);
      long to = Math.min(start + length, regionEnd);
      if (from < to) {
        if (!(region instanceof FileRegion file)) {
          return false;
        }
        files.add(file);
        pieces.add(new long[] {from - start, file.offset() + from - regionStart, to - from});
      }
      regionStart = regionEnd;
    }
    for (int i = 0; i < files.size(); i++) {
      long[] piece = pieces.get(i);
      try (CuFile.RegisteredFile file = new CuFile.RegisteredFile(files.get(i).file())) {
        file.readFully(slot.device.address() + piece[0], piece[2], piece[1]);
      }
    }
    return true;
  }

  private void launchLeaves(HashingOptions options, CUdeviceptr data, long length, CUdeviceptr out, CUstream stream) {
    long n = leafCount(length, options.leafSize());
    Pointer common = Pointer.to(data);
    Pointer len = Pointer.to(new long[] {length});
    Pointer leaf = Pointer.to(new long[] {options.leafSize()});
    Pointer target = Pointer.to(out);
    Pointer parameters =
        options.algorithm() == HashAlgorithm.SHA256
            ? Pointer.to(common, len, leaf, target)
            : Pointer.to(Pointer.to(new int[] {options.algorithm().ordinal()}), common, len, leaf, target);
    CUfunction kernel = options.algorithm() == HashAlgorithm.SHA256 ? sha256Leaves : leaves;
    cuLaunchKernel(kernel, grid(n), 1, 1, THREADS, 1, 1, 0, stream, parameters, null);
  }

  /**
   * Reduces m >= 1 digests at {@code in} level by level on {@code stream} (the default stream when
   * null), ping-ponging with {@code scratch} (room for ceil(m / 2) digests), and returns whichever
   * of the two holds the root at its start. Nothing waits: the caller orders its next use.
   */
  private CUdeviceptr reduceOnDevice(HashAlgorithm algorithm, CUdeviceptr in, CUdeviceptr scratch, long m, CUstream stream) {
    CUdeviceptr out = scratch;
    boolean sha256 = algorithm == HashAlgorithm.SHA256;
    for (; m > 1; m = (m + 1) / 2) {
      Pointer parameters =
          sha256
              ? Pointer.to(Pointer.to(in), Pointer.to(new long[] {m}), Pointer.to(out))
              : Pointer.to(Pointer.to(new int[] {algorithm.ordinal()}), Pointer.to(in), Pointer.to(new long[] {m}), Pointer.to(out));
      cuLaunchKernel(sha256 ? sha256Level : level, grid((m + 1) / 2), 1, 1, THREADS, 1, 1, 0, stream, parameters, null);
      CUdeviceptr t = in;
      in = out;
      out = t;
    }
    return in;
  }

  /** Copies a root to the host once the default stream (and so every blocking stream) is done. */
  private static byte[] copyRoot(CUdeviceptr root, int d) {
    byte[] out = new byte[d];
    cuMemcpyDtoH(Pointer.to(out), root, d);
    return out;
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

  private static int indexOfZero(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return bytes.length;
  }

  private void syncAll() {
    for (Slot slot : slots) {
      cuStreamSynchronize(slot.stream);
    }
  }

  /**
   * One-leaf Merkle roots of "abc" per algorithm, computed in device memory and compared with the
   * Java hash of 0x00 ‖ "abc": catches a fatbin that loads but computes wrongly.
   */
  private void selfTest() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
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
                  HexFormat.of().formatHex(want), HexFormat.of().formatHex(got)));
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
    for (Slot slot : slots) {
      if (slot != null) {
        slot.free();
      }
    }
    cuModuleUnload(module);
    cuCtxDestroy(context);
  }
}
