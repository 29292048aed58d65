package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.RegionReader;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.ModelWalker;
import org.sentryml.core.manifest.ResourcePlanner;
import org.sentryml.core.manifest.Workflow;

/**
 * CudaEngine against CpuEngine on seeded random data: every algorithm and topology, sizes around a
 * leaf, every workflow's resources, 1 GiB and past 4 GiB, thousands of small files packed into
 * shared launches, buffers already in device memory (aligned, unaligned, and allocated by the
 * runtime API as another library would), and the pinned, cuFile and in-place paths over the same
 * bytes. The shared engine reads through pinned buffers whatever the environment says; only the
 * cuFile test builds a cuFile engine, with a configuration of its own. Runs only where a GPU and
 * the packaged kernels exist. Data written: one file of 4 GiB + 4 KiB, about 270 MiB of small
 * files.
 */
@EnabledIf(value = "gpuUsable", disabledReason = "no usable GPU: see CudaProbe.probe()")
class CudaEngineGpuTest {
  private static final int LEAF = 4096;
  private static final int BIG_LEAF = 65536;
  private static final long GIB = 1L << 30;
  private static final long BIG_SIZE = 4 * GIB + LEAF + 3;

  @TempDir static Path dir;
  private static CudaEngine gpu;
  private static CpuEngine cpu;

  /** BIG_SIZE bytes: the 1 GiB, past-4-GiB and cuFile tests all read regions of it. */
  private static Path big;

  /** Written on first use and shared by the four algorithms' runs. */
  private static List<Resource> manySmallFiles;

  static boolean gpuUsable() {
    return CudaProbe.probe().usable();
  }

  @BeforeAll
  static void open() throws IOException {
    gpu = new CudaEngine(Map.of());
    cpu = new CpuEngine(Runtime.getRuntime().availableProcessors());
    System.err.println("CudaEngineGpuTest: " + gpu.description());
    big = GpuTestData.randomFile(dir.resolve("big.bin"), BIG_SIZE, 4);
  }

  /**
   * Null-safe: after a failed @BeforeAll JUnit still runs this, and the failure must stay the one
   * reported.
   */
  @AfterAll
  static void close() {
    if (gpu != null) {
      gpu.close();
    }
    if (cpu != null) {
      cpu.close();
    }
  }

  /** Merkle trees of every algorithm, then the lattice, at {@code leaf}. */
  private static Stream<HashingOptions> trees(int leaf) {
    return Stream.concat(
        Stream.of(HashAlgorithm.values()).map(a -> HashingOptions.merkle(a, leaf)),
        Stream.of(HashingOptions.lattice(leaf)));
  }

  static Stream<HashingOptions> smallLeafTrees() {
    return trees(LEAF);
  }

  static Stream<HashingOptions> bigLeafTrees() {
    return trees(BIG_LEAF);
  }

  @ParameterizedTest
  @MethodSource("smallLeafTrees")
  void sizesAroundALeaf_equalCpu(HashingOptions options) throws IOException {
    compare(options, smallFiles("sizes-" + options.digestName()));
  }

  /**
   * The coalesced stream (inline frames between files), one tree per file, and per-tensor regions.
   */
  @ParameterizedTest
  @MethodSource("smallLeafTrees")
  void everyWorkflowsResources_equalCpu(HashingOptions options) throws IOException {
    Path model = GpuTestData.model(dir.resolve("model-" + options.digestName()), LEAF);
    ModelWalker walker = new ModelWalker(IgnoreRules.defaultsPlus(List.of()), false);
    for (Workflow workflow : Workflow.values()) {
      List<Resource> resources = ResourcePlanner.plan(walker.listNonEmpty(model, "hash"), workflow);
      assertEquals(
          cpu.hash(resources, options),
          gpu.hash(resources, options),
          workflow + " " + options.digestName());
    }
  }

  /** A 1 GiB prefix, the whole file past 4 GiB, and a region at an odd offset past 4 GiB. */
  @ParameterizedTest
  @MethodSource("bigLeafTrees")
  void oneGibAndPastFourGib_equalCpu(HashingOptions options) {
    compare(
        options,
        List.of(
            GpuTestData.region("1g", big, 0, GIB),
            GpuTestData.region("whole", big, 0, BIG_SIZE),
            GpuTestData.region("past4g", big, 4 * GIB + 1, LEAF + 2)));
  }

  @ParameterizedTest
  @MethodSource("smallLeafTrees")
  void inPlace_alignedAndUnalignedBuffers_equalCpu(HashingOptions options) throws IOException {
    for (Resource r : smallFiles("inplace-" + options.digestName())) {
      byte[] bytes = Files.readAllBytes(((FileRegion) r.regions().get(0)).file());
      ResourceDigest want = cpu.hash(List.of(r), options).get(0);
      gpu.makeCurrent();
      CUdeviceptr ptr = new CUdeviceptr();
      JCudaDriver.cuMemAlloc(ptr, bytes.length + 32L);
      try {
        for (int offset : new int[] {0, 1, 16}) {
          CUdeviceptr at = ptr.withByteOffset(offset);
          assertEquals(
              offset % 16 == 0,
              CudaKernels.vectorLoads(at, options.leafSize()),
              "kernel choice at offset " + offset);
          JCudaDriver.cuMemcpyHtoD(at, Pointer.to(bytes), bytes.length);
          ResourceDigest got =
              gpu.hashDevice(
                      List.of(new CudaEngine.DeviceBuffer(r.name(), at, bytes.length)), options)
                  .get(0);
          assertEquals(want, got, r.name() + " at offset " + offset);
        }
      } finally {
        JCudaDriver.cuMemFree(ptr);
      }
    }
  }

  /**
   * A buffer from the runtime API (cudaMalloc, as PyTorch allocates), known to the engine only by
   * its address: the primary context reaches it.
   */
  @Test
  void inPlace_runtimeApiAllocation_equalsCpu() throws IOException {
    Resource r = smallFiles("runtime").get(5);
    byte[] bytes = Files.readAllBytes(((FileRegion) r.regions().get(0)).file());
    Pointer runtime = new Pointer();
    assertEquals(0, JCuda.cudaMalloc(runtime, bytes.length));
    try {
      assertEquals(
          0,
          JCuda.cudaMemcpy(
              runtime, Pointer.to(bytes), bytes.length, cudaMemcpyKind.cudaMemcpyHostToDevice));
      CUdeviceptr byAddress =
          new CUdeviceptr().withByteOffset(new RuntimeAddress(runtime).address());
      for (HashingOptions options :
          List.of(
              HashingOptions.merkle(HashAlgorithm.SHA256, LEAF), HashingOptions.lattice(LEAF))) {
        ResourceDigest got =
            gpu.hashDevice(
                    List.of(new CudaEngine.DeviceBuffer(r.name(), byAddress, bytes.length)),
                    options)
                .get(0);
        assertEquals(cpu.hash(List.of(r), options).get(0), got, options.digestName());
      }
    } finally {
      JCuda.cudaFree(runtime);
    }
  }

  /**
   * Reads the address of a runtime-API pointer, as a caller holding a raw device address would have
   * it.
   */
  private static final class RuntimeAddress extends Pointer {
    RuntimeAddress(Pointer pointer) {
      super(pointer);
    }

    long address() {
      return getNativePointer() + getByteOffset();
    }
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void manySmallFiles_packedLaunches_equalCpu(HashAlgorithm algorithm) throws IOException {
    compare(HashingOptions.merkle(algorithm, LEAF), manySmallFiles());
  }

  /**
   * The same bytes by cuFile (GDS, or its compat mode here), through pinned buffers and in place: a
   * 300 MiB prefix, a tensor-like region at an odd offset (unaligned head and tail around
   * O_DIRECT-sized middles), and a region past 4 GiB.
   */
  @Test
  void readPaths_cuFilePinnedAndInPlace_agree() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("cufile.json"),
            "{\"logging\": {\"level\": \"ERROR\"}, \"properties\": {\"allow_compat_mode\": true,"
                + " \"max_direct_io_size_kb\": 16384, \"max_device_cache_size_kb\": 131072}}",
            StandardCharsets.UTF_8);
    List<Resource> resources =
        List.of(
            GpuTestData.region("prefix", big, 0, (300L << 20) + 12345),
            GpuTestData.region("tensor", big, 4097, (129L << 20) + 1),
            GpuTestData.region("past4g", big, 4 * GIB - 5000, 9000));
    try (CudaEngine direct = new CudaEngine(Map.of(CuFile.CONFIG_VARIABLE, config.toString()))) {
      Assumptions.assumeTrue(direct.readsDirect(), "cuFile unusable: " + direct.description());
      System.err.println("CudaEngineGpuTest: " + direct.description());
      for (HashingOptions options :
          List.of(
              HashingOptions.merkle(HashAlgorithm.SHA256, BIG_LEAF),
              HashingOptions.merkle(HashAlgorithm.BLAKE2B, LEAF),
              HashingOptions.lattice(BIG_LEAF))) {
        List<ResourceDigest> want = cpu.hash(resources, options);
        assertEquals(want, gpu.hash(resources, options), "pinned " + options.digestName());
        assertEquals(want, direct.hash(resources, options), "cuFile " + options.digestName());
        assertEquals(want, inPlace(resources, options), "in place " + options.digestName());
      }
    } finally {
      gpu.makeCurrent();
    }
  }

  /** Each resource's bytes copied into device memory and hashed there. */
  private static List<ResourceDigest> inPlace(List<Resource> resources, HashingOptions options) {
    List<ResourceDigest> out = new ArrayList<>();
    gpu.makeCurrent();
    for (Resource r : resources) {
      byte[] bytes = new byte[(int) r.size()];
      RegionReader.read(r.regions(), 0, ByteBuffer.wrap(bytes));
      try (DeviceMemory memory = new DeviceMemory(bytes.length)) {
        JCudaDriver.cuMemcpyHtoD(memory.pointer, Pointer.to(bytes), bytes.length);
        out.add(
            gpu.hashDevice(
                    List.of(new CudaEngine.DeviceBuffer(r.name(), memory.pointer, bytes.length)),
                    options)
                .get(0));
      }
    }
    return out;
  }

  private static synchronized List<Resource> manySmallFiles() throws IOException {
    if (manySmallFiles == null) {
      manySmallFiles = GpuTestData.manySmallFiles(dir.resolve("many"));
    }
    return manySmallFiles;
  }

  private static List<Resource> smallFiles(String folder) throws IOException {
    return GpuTestData.files(dir.resolve(folder), 0, 1, LEAF - 1, LEAF, LEAF + 1, 37 * LEAF + 11);
  }

  private static void compare(HashingOptions options, List<Resource> resources) {
    assertEquals(cpu.hash(resources, options), gpu.hash(resources, options), options.digestName());
  }
}
