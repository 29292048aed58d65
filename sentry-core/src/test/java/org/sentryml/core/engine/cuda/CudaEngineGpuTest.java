package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.ByteRegion.FileRegion;
import org.sentryml.core.manifest.Resource;
import org.sentryml.core.testing.TestFiles;

/**
 * CudaEngine against CpuEngine on seeded random files: every algorithm, Merkle and lattice, sizes
 * around a leaf, 1 GiB and past 4 GiB, thousands of small files packed into shared launches,
 * buffers already in device memory, and cuFile reads against pinned reads. Runs only where a GPU
 * and the packaged kernels exist (never run yet: the sessions that wrote it had no GPU).
 */
@EnabledIf(value = "gpuUsable", disabledReason = "no usable GPU: see CudaProbe.probe()")
class CudaEngineGpuTest {
  private static final int LEAF = 4096;

  @TempDir static Path dir;
  private static CudaEngine gpu;
  private static CpuEngine cpu;

  static boolean gpuUsable() {
    return CudaProbe.probe().usable();
  }

  @BeforeAll
  static void open() {
    gpu = new CudaEngine();
    cpu = new CpuEngine(Runtime.getRuntime().availableProcessors());
  }

  @AfterAll
  static void close() {
    gpu.close();
    cpu.close();
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void merkle_smallSizes_equalCpu(HashAlgorithm algorithm) throws IOException {
    compare(HashingOptions.merkle(algorithm, LEAF), smallFiles());
  }

  @Test
  void lattice_smallSizes_equalCpu() throws IOException {
    compare(HashingOptions.lattice(LEAF), smallFiles());
  }

  @Test
  void oneGibAndPastFourGib_equalCpu() throws IOException {
    List<Resource> big = List.of(largeFile("1g.bin", 1L << 30), largeFile("4g.bin", (4L << 30) + LEAF + 3));
    compare(HashingOptions.merkle(HashAlgorithm.SHA256, 65536), big);
    compare(HashingOptions.lattice(65536), big);
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void inPlace_deviceBuffers_equalCpu(HashAlgorithm algorithm) throws IOException {
    compareInPlace(HashingOptions.merkle(algorithm, LEAF));
  }

  @Test
  void inPlace_lattice_equalsCpu() throws IOException {
    compareInPlace(HashingOptions.lattice(LEAF));
  }

  /** Each small file copied into device memory and hashed there equals the CPU engine's digest. */
  private static void compareInPlace(HashingOptions options) throws IOException {
    for (Resource r : smallFiles()) {
      byte[] bytes = java.nio.file.Files.readAllBytes(((FileRegion) r.regions().get(0)).file());
      gpu.makeCurrent();
      CUdeviceptr ptr = new CUdeviceptr();
      JCudaDriver.cuMemAlloc(ptr, Math.max(1, bytes.length));
      try {
        JCudaDriver.cuMemcpyHtoD(ptr, Pointer.to(bytes), bytes.length);
        ResourceDigest got = gpu.hashDevice(List.of(new CudaEngine.DeviceBuffer(r.name(), ptr, bytes.length)), options).get(0);
        assertEquals(cpu.hash(List.of(r), options).get(0), got, r.name());
      } finally {
        JCudaDriver.cuMemFree(ptr);
      }
    }
  }

  /**
   * 17,000 tiny files first (more rows than one packed slot takes), then 80 files of about 1 MiB
   * with tiny ones between them (77 MiB, more than one slot holds): both limits start a new slot.
   */
  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void manySmallFiles_packedLaunches_equalCpu(HashAlgorithm algorithm) throws IOException {
    List<Resource> files = new ArrayList<>();
    Random random = new Random(17);
    Path folder = java.nio.file.Files.createDirectories(dir.resolve("many-" + algorithm.id()));
    for (int i = 0; i < 17_000; i++) {
      files.add(write(folder.resolve("t" + i), i % 997 == 0 ? 0 : random.nextInt(300), i));
    }
    for (int i = 0; i < 80; i++) {
      files.add(write(folder.resolve("m" + i), (1 << 20) - i * 1024, i));
      files.add(write(folder.resolve("u" + i), random.nextInt(5000), -i));
    }
    compare(HashingOptions.merkle(algorithm, LEAF), files);
  }

  /** cuFile's reads (GDS or its compat mode) give the digests of the pinned path, at odd offsets too. */
  @Test
  void directReads_equalPinnedReads() throws IOException {
    Path config = NativePrograms.findRepositoryFile("cufile.json");
    CudaEngine direct = new CudaEngine(java.util.Map.of("CUFILE_ENV_PATH_JSON", config.toString()));
    CudaEngine pinned = new CudaEngine(java.util.Map.of());
    try {
      org.junit.jupiter.api.Assumptions.assumeTrue(direct.readsDirect(), "cuFile unusable: " + direct.description());
      System.err.println("CudaEngineGpuTest: " + direct.description());
      Resource whole = largeFile("direct.bin", (300L << 20) + 12345);
      Path file = ((FileRegion) whole.regions().get(0)).file();
      Resource tensor = new Resource("direct.bin#t", List.of(new FileRegion(file, 4097, (129L << 20) + 1)));
      for (HashingOptions options :
          List.of(HashingOptions.merkle(HashAlgorithm.SHA256, 65536), HashingOptions.lattice(65536))) {
        List<Resource> resources = List.of(whole, tensor);
        List<ResourceDigest> want = cpu.hash(resources, options);
        assertEquals(want, pinned.hash(resources, options), "pinned " + options.digestName());
        assertEquals(want, direct.hash(resources, options), "cuFile " + options.digestName());
      }
    } finally {
      direct.close();
      pinned.close();
      gpu.makeCurrent();
    }
  }

  private static Resource write(Path file, int size, long seed) throws IOException {
    TestFiles.write(file, TestFiles.randomBytes(seed, size));
    return new Resource(file.getFileName().toString(), List.of(new FileRegion(file, 0, size)));
  }

  private static void compare(HashingOptions options, List<Resource> resources) {
    assertEquals(cpu.hash(resources, options), gpu.hash(resources, options), options.digestName());
  }

  private static List<Resource> smallFiles() throws IOException {
    List<Resource> out = new ArrayList<>();
    int[] sizes = {0, 1, LEAF - 1, LEAF, LEAF + 1, 37 * LEAF + 11};
    for (int size : sizes) {
      Path file = TestFiles.write(dir.resolve("s" + size + ".bin"), TestFiles.randomBytes(size, size));
      out.add(new Resource(file.getFileName().toString(), List.of(new FileRegion(file, 0, size))));
    }
    return out;
  }

  private static Resource largeFile(String name, long size) throws IOException {
    Path file = dir.resolve(name);
    byte[] block = new byte[1 << 20];
    Random random = new Random(size);
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
    return new Resource(name, List.of(new FileRegion(file, 0, size)));
  }
}
