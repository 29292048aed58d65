package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static org.sentryml.core.engine.cuda.CudaKernels.leafCount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import jcuda.Pointer;
import jcuda.driver.CUcomputemode;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.sentryml.core.engine.ByteRegion;
import org.sentryml.core.engine.ByteRegion.InlineBytes;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.ParallelRegionReader;
import org.sentryml.core.engine.RegionReader;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.core.tree.Topology;

/**
 * The cuda engine: Merkle and lattice digests on device 0 with the kernels of native/cuda. Files
 * reach the device through a ring of {@link RingSlot}s, each with its own stream: a slot's bytes
 * are read into its pinned host buffer and copied asynchronously (or read straight into device
 * memory by cuFile, see {@link CuFile}) and hashed on that stream while the next slot is filled, so
 * files larger than GPU memory stream through; Merkle levels are reduced on the device and only
 * roots come back. Small files are packed many to a slot and hashed by one launch through a table
 * of (offset, length, first leaf). Flat (non-tree) hashes go to a CpuEngine. Known-answer
 * self-tests run in the constructor.
 *
 * <p>The engine works in device 0's primary context, the one the CUDA runtime (and so PyTorch and
 * cuFile) uses: device pointers from those libraries are valid here, several engines share one
 * context, and EXCLUSIVE_PROCESS mode admits them all. The context is made current at every entry
 * point and on every pool thread that touches device memory, and released by {@link #close()}. Not
 * thread-safe: one caller at a time.
 *
 * <p>Written without a GPU at hand: it compiles, its kernels' algorithms are checked on the host
 * (HostCompiledHashesTest) and its probe and fallback paths are tested, but the device path has not
 * been run (see CudaEngineGpuTest, which skips without a usable GPU).
 */
public final class CudaEngine implements HashEngine {
  private static final int RING = 3;

  /** Files up to this size are packed into shared slots rather than given slots of their own. */
  private static final long SMALL_FILE_BYTES = 1L << 20;

  /**
   * Larger leaves go to the CPU engine: a 256 MiB slot would hold fewer than four of them, one
   * thread each, far slower than the cores.
   */
  private static final long MAX_DEVICE_LEAF = 64L << 20;

  private final CUdevice device = new CUdevice();
  private final CUcontext context = new CUcontext();
  private final CudaKernels kernels;
  private final RingSlot[] slots = new RingSlot[RING];
  private final CpuEngine flat = new CpuEngine(1);
  private final ParallelRegionReader reader =
      new ParallelRegionReader(Runtime.getRuntime().availableProcessors());
  private final String deviceName;
  private final String computeMode;
  private final int multiprocessors;
  private final CudaProbe.Availability directReads;

  /** Why cuFile could not register a slot's device buffer, or null when all three registered. */
  private String bufferRegistration;

  private boolean closed;

  /**
   * A buffer already in device memory, hashed in place (the {@code inplace} workflow): memory of
   * device 0 allocated in this process through the driver or the runtime API (a PyTorch tensor's
   * data pointer, for instance), which the primary context can reach.
   */
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
    cuDeviceGet(device, 0);
    byte[] name = new byte[256];
    cuDeviceGetName(name, name.length, device);
    deviceName = new String(name, 0, indexOfZero(name), StandardCharsets.US_ASCII);
    int mode = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_MODE);
    computeMode = computeModeName(mode);
    multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    if (mode == CUcomputemode.CU_COMPUTEMODE_PROHIBITED) {
      flat.close();
      reader.close();
      throw new IllegalStateException(
          "cuda engine unavailable: device 0 (" + deviceName + ") is in compute mode prohibited");
    }
    cuDevicePrimaryCtxRetain(context, device);
    try {
      cuCtxSetCurrent(context);
      kernels = new CudaKernels(fatbin);
      for (int i = 0; i < RING; i++) {
        slots[i] = new RingSlot(i);
      }
      directReads = CuFile.acquire(environment);
      if (directReads.usable()) {
        registerSlotBuffers();
      }
      selfTest();
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  private int attribute(int attribute) {
    int[] value = new int[1];
    cuDeviceGetAttribute(value, attribute, device);
    return value[0];
  }

  private static String computeModeName(int mode) {
    return switch (mode) {
      case CUcomputemode.CU_COMPUTEMODE_DEFAULT -> "default";
      case CUcomputemode.CU_COMPUTEMODE_EXCLUSIVE_PROCESS -> "exclusive-process";
      case CUcomputemode.CU_COMPUTEMODE_PROHIBITED -> "prohibited";
      default -> "mode " + mode;
    };
  }

  /** Registers the slots' device buffers with cuFile, so that GDS reads land in them directly. */
  private void registerSlotBuffers() {
    for (RingSlot slot : slots) {
      String failure = CuFile.registerBuffer(slot.device.address(), RingSlot.BYTES);
      if (failure != null) {
        bufferRegistration = failure;
      } else {
        slot.registeredWithCuFile = true;
      }
    }
  }

  /**
   * Says which device, and how files reach it: cuFile (and in which mode), or pinned buffers and
   * why.
   */
  @Override
  public String description() {
    String reads =
        directReads.usable()
            ? "files read by "
                + directReads.reason()
                + (bufferRegistration == null
                    ? ""
                    : "; slot buffers not registered (" + bufferRegistration + ")")
            : "files read through pinned buffers because " + directReads.reason();
    return "cuda (device 0: "
        + deviceName
        + ", "
        + multiprocessors
        + " SMs, compute mode "
        + computeMode
        + ", primary context; "
        + reads
        + ")";
  }

  /** Whether files are read into device memory by cuFile rather than through pinned buffers. */
  boolean readsDirect() {
    return directReads.usable();
  }

  /**
   * Makes the primary context current on the calling thread (for callers allocating device memory).
   */
  void makeCurrent() {
    cuCtxSetCurrent(context);
  }

  /** The loaded kernels, for the benchmark's kernel timing. */
  CudaKernels kernels() {
    return kernels;
  }

  @Override
  public List<ResourceDigest> hash(List<Resource> resources, HashingOptions options) {
    // Flat hashes are sequential by nature: they go to the CPU, as do leaves too large for the
    // ring.
    if (options.topology() == Topology.FLAT || options.leafSize() > MAX_DEVICE_LEAF) {
      return flat.hash(resources, options);
    }
    cuCtxSetCurrent(context);
    ResourceDigest[] out = new ResourceDigest[resources.size()];
    List<Integer> small = new ArrayList<>();
    try (DirectReader direct = directReads.usable() ? new DirectReader(context, reader) : null) {
      for (int i = 0; i < resources.size(); i++) {
        Resource resource = resources.get(i);
        if (options.topology() == Topology.MERKLE && resource.size() <= SMALL_FILE_BYTES) {
          small.add(i);
        } else if (options.topology() == Topology.LATTICE) {
          out[i] = lattice(resource.name(), resource.regions(), resource.size(), options, direct);
        } else {
          out[i] = merkle(resource.name(), resource.regions(), resource.size(), options, direct);
        }
      }
    }
    packedMerkle(resources, small, options, out);
    return List.of(out);
  }

  /**
   * Digests of buffers already in device memory (one tree or lattice per buffer, the {@code
   * inplace} workflow): no staging copy, only the results come back. The pointers must belong to
   * device 0 and be reachable from its primary context (see {@link DeviceBuffer}).
   *
   * @throws IllegalArgumentException for the flat topology
   * @throws jcuda.CudaException when a driver call fails
   */
  public List<ResourceDigest> hashDevice(List<DeviceBuffer> buffers, HashingOptions options) {
    if (options.topology() == Topology.FLAT) {
      throw new IllegalArgumentException(
          "in-place hashing supports the merkle and lattice topologies, not flat");
    }
    Objects.requireNonNull(buffers, "buffers");
    cuCtxSetCurrent(context);
    List<ResourceDigest> out = new ArrayList<>(buffers.size());
    for (DeviceBuffer b : buffers) {
      out.add(
          options.topology() == Topology.LATTICE
              ? latticeInPlace(b, options)
              : merkleInPlace(b, options));
    }
    return out;
  }

  private ResourceDigest merkleInPlace(DeviceBuffer b, HashingOptions options) {
    int d = options.algorithm().digestLength();
    long n = leafCount(b.length(), options.leafSize());
    if (n == 0) {
      return merkleResult(b.name(), options, options.algorithm().hash(new byte[0]));
    }
    try (DeviceMemory digests = new DeviceMemory(n * d);
        DeviceMemory scratch = new DeviceMemory((n + 1) / 2 * d)) {
      kernels.leaves(
          options.algorithm(), b.pointer(), b.length(), options.leafSize(), digests.pointer, null);
      CUdeviceptr root =
          kernels.reduceToRoot(options.algorithm(), digests.pointer, scratch.pointer, n, null);
      return merkleResult(b.name(), options, copyRoot(root, d));
    }
  }

  private ResourceDigest latticeInPlace(DeviceBuffer b, HashingOptions options) {
    LatticeSums sums = new LatticeSums(options.leafSize());
    for (long start = 0; start < b.length(); start += sums.batch) {
      sums.add(
          slots[0],
          b.pointer().withByteOffset(start),
          start,
          Math.min(sums.batch, b.length() - start));
    }
    return sums.result(b.name(), options);
  }

  /**
   * A file's Merkle root with device memory bounded by the slots, not by the file: every slot holds
   * a whole number of leaves that is a power of two (256 MiB / leaf) starting at a multiple of
   * itself, so it is a complete RFC 6962 subtree, reduced on the device to one root; the tree over
   * those roots, split the same way, gives the file's root.
   */
  private ResourceDigest merkle(
      String name,
      List<ByteRegion> regions,
      long size,
      HashingOptions options,
      DirectReader direct) {
    HashAlgorithm algorithm = options.algorithm();
    int d = algorithm.digestLength();
    if (size == 0) {
      return merkleResult(name, options, algorithm.hash(new byte[0]));
    }
    long batch = RingSlot.BYTES / options.leafSize() * options.leafSize();
    long batches = (size + batch - 1) / batch;
    try (DeviceMemory subtreeRoots = new DeviceMemory(batches * d);
        DeviceMemory scratch = new DeviceMemory((batches + 1) / 2 * d)) {
      for (long b = 0; b < batches; b++) {
        RingSlot slot = slots[(int) (b % RING)];
        long start = b * batch;
        int length = (int) Math.min(batch, size - start);
        stage(slot, regions, start, length, direct);
        kernels.leaves(
            algorithm, slot.device, length, options.leafSize(), slot.digests, slot.stream);
        CUdeviceptr root =
            kernels.reduceToRoot(
                algorithm,
                slot.digests,
                slot.scratch,
                leafCount(length, options.leafSize()),
                slot.stream);
        cuMemcpyDtoDAsync(subtreeRoots.pointer.withByteOffset(b * d), root, d, slot.stream);
      }
      awaitAll();
      CUdeviceptr root =
          kernels.reduceToRoot(algorithm, subtreeRoots.pointer, scratch.pointer, batches, null);
      return merkleResult(name, options, copyRoot(root, d));
    }
  }

  private ResourceDigest lattice(
      String name,
      List<ByteRegion> regions,
      long size,
      HashingOptions options,
      DirectReader direct) {
    LatticeSums sums = new LatticeSums(options.leafSize());
    int next = 0;
    for (long start = 0; start < size; start += sums.batch, next = (next + 1) % RING) {
      RingSlot slot = slots[next];
      int length = (int) Math.min(sums.batch, size - start);
      stage(slot, regions, start, length, direct);
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
      this.batch = RingSlot.BYTES / leaf * leaf;
      for (RingSlot slot : slots) {
        cuMemsetD8Async(slot.lanes, (byte) 0, LtHash16.CHECKSUM_BYTES, slot.stream);
      }
    }

    /** Folds bytes [start, start + length) of the stream, found at data, on the slot's stream. */
    void add(RingSlot slot, CUdeviceptr data, long start, long length) {
      used[slot.index] = true;
      kernels.latticeAdd(
          data,
          length,
          leaf,
          start,
          slot.expansions,
          RingSlot.EXPANSION_CHUNKS,
          slot.lanes,
          slot.stream);
    }

    ResourceDigest result(String name, HashingOptions options) {
      LtHash16 total = new LtHash16();
      for (RingSlot slot : slots) {
        slot.await();
        if (used[slot.index]) {
          byte[] part = new byte[LtHash16.CHECKSUM_BYTES];
          cuMemcpyDtoH(Pointer.to(part), slot.lanes, part.length);
          total.add(LtHash16.fromChecksum(part));
        }
      }
      return new ResourceDigest(
          name, new Digest(options.digestName(), total.digest()), total.checksum());
    }
  }

  /**
   * Merkle roots of the small resources at the given indices, many per slot: their bytes back to
   * back in the slot's buffer, one table row each, one leaf launch and one root launch per slot,
   * and only the roots copied back.
   */
  private void packedMerkle(
      List<Resource> resources,
      List<Integer> indices,
      HashingOptions options,
      ResourceDigest[] out) {
    try {
      int next = 0;
      for (int i = 0; i < indices.size(); next = (next + 1) % RING) {
        RingSlot slot = slots[next];
        slot.await();
        collectRoots(slot, resources, options, out);
        i = pack(slot, resources, indices, i, options);
      }
      for (RingSlot slot : slots) {
        slot.await();
        collectRoots(slot, resources, options, out);
      }
    } finally {
      // After a failure, roots still pending must not be delivered into a later call's results.
      for (RingSlot slot : slots) {
        slot.pending = new int[0];
      }
    }
  }

  /**
   * Packs resources from indices[first] on into the slot and queues their hashing; returns the next
   * index.
   */
  private int pack(
      RingSlot slot,
      List<Resource> resources,
      List<Integer> indices,
      int first,
      HashingOptions options) {
    int leaf = options.leafSize();
    ByteBuffer table = slot.tableBuffer.clear();
    long used = 0;
    long leafTotal = 0;
    int rows = 0;
    int i = first;
    int[] pending = new int[Math.min(RingSlot.MAX_ROWS, indices.size() - first)];
    while (i < indices.size() && rows < RingSlot.MAX_ROWS) {
      Resource resource = resources.get(indices.get(i));
      if (used + resource.size() > RingSlot.BYTES) {
        break;
      }
      RegionReader.read(
          resource.regions(),
          0,
          slot.hostBuffer.clear().position((int) used).limit((int) (used + resource.size())));
      table.putLong(used).putLong(resource.size()).putLong(leafTotal);
      pending[rows++] = indices.get(i++);
      used += resource.size();
      leafTotal += leafCount(resource.size(), leaf);
    }
    slot.pending = Arrays.copyOf(pending, rows);
    if (used > 0) {
      cuMemcpyHtoDAsync(slot.device, slot.host, used, slot.stream);
    }
    cuMemcpyHtoDAsync(slot.table, slot.tableHost, (long) rows * RingSlot.ROW_BYTES, slot.stream);
    kernels.packedRoots(
        options.algorithm(),
        slot.device,
        slot.table,
        rows,
        leafTotal,
        leaf,
        slot.digests,
        slot.roots,
        slot.stream);
    cuMemcpyDtoHAsync(
        slot.rootsHost, slot.roots, (long) rows * options.algorithm().digestLength(), slot.stream);
    return i;
  }

  /** Stores the roots a finished packed launch left in the slot's pinned buffer. */
  private static void collectRoots(
      RingSlot slot, List<Resource> resources, HashingOptions options, ResourceDigest[] out) {
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
   * previous work is done: by cuFile straight from the files when it is usable and every byte comes
   * from a file, else through the pinned buffer (filled by reads on every core) and an asynchronous
   * copy.
   */
  private void stage(
      RingSlot slot, List<ByteRegion> regions, long start, int length, DirectReader direct) {
    slot.await();
    if (direct != null && direct.read(slot, regions, start, length)) {
      return;
    }
    reader.read(regions, start, slot.hostBuffer.clear().limit(length));
    cuMemcpyHtoDAsync(slot.device, slot.host, length, slot.stream);
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

  private static int indexOfZero(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return bytes.length;
  }

  private void awaitAll() {
    for (RingSlot slot : slots) {
      slot.await();
    }
  }

  /**
   * Every algorithm's one-leaf Merkle root of "abc" and the lattice of "abc", computed in device
   * memory and compared with the CPU engine: catches a fatbin that loads but computes wrongly.
   */
  private void selfTest() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    Resource onHost = new Resource("selftest", List.of(new InlineBytes(abc)));
    try (DeviceMemory memory = new DeviceMemory(abc.length)) {
      CUdeviceptr data = memory.pointer;
      cuMemcpyHtoD(data, Pointer.to(abc), abc.length);
      List<HashingOptions> checks = new ArrayList<>();
      for (HashAlgorithm algorithm : HashAlgorithm.values()) {
        checks.add(HashingOptions.merkle(algorithm, HashingOptions.MIN_LEAF_SIZE));
      }
      checks.add(HashingOptions.lattice(HashingOptions.MIN_LEAF_SIZE));
      for (HashingOptions options : checks) {
        byte[] got =
            hashDevice(List.of(new DeviceBuffer("selftest", data, abc.length)), options)
                .get(0)
                .digest()
                .value();
        byte[] want = flat.hash(List.of(onHost), options).get(0).digest().value();
        if (!Arrays.equals(got, want)) {
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "cuda self-test failed for %s: expected %s, got %s",
                  options.digestName(),
                  HexFormat.of().formatHex(want),
                  HexFormat.of().formatHex(got)));
        }
      }
    }
  }

  /**
   * Awaits the slots' work, then frees the slots and kernels and releases cuFile and the context.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    cuCtxSetCurrent(context);
    awaitAll();
    release();
  }

  /**
   * Gives back whatever the constructor took, also after a failed start: the primary context
   * outlives this engine (other engines or libraries may hold it), so nothing is freed with it.
   */
  private void release() {
    closed = true;
    flat.close();
    reader.close();
    for (RingSlot slot : slots) {
      if (slot != null) {
        if (slot.registeredWithCuFile) {
          CuFile.deregisterBuffer(slot.device.address());
        }
        slot.free();
      }
    }
    if (directReads != null && directReads.usable()) {
      CuFile.release();
    }
    if (kernels != null) {
      kernels.unload();
    }
    cuDevicePrimaryCtxRelease(device);
  }
}
