package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import org.sentryml.core.engine.ByteRegion;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.RegionReader;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.hashing.HashAlgorithm;

/**
 * In-process GPU throughput of sha256-merkle, one file from the page cache: the pinned
 * host-to-device copy bandwidth (the ceiling of the pinned path), the leaf kernel alone (cuEvent
 * timing, no allocation or level launches), in-place hashing of the same bytes already in device
 * memory, the pinned path and the CPU engine on all cores, each per leaf size so that the best one
 * can become the default; then the cuFile path once. Timings other than the kernel's are wall clock
 * around calls that return only when the device is done (they copy roots back); the fastest of a
 * few runs counts.
 */
public final class CudaBenchmark implements AutoCloseable {
  private static final long COPY_CHUNK = 256L << 20;
  private static final int RUNS = 3;

  private final CudaEngine pinned;
  private final CudaEngine direct;
  private final CpuEngine cpu;
  private final int cores = Runtime.getRuntime().availableProcessors();

  /**
   * One measured path: bytes hashed (or copied) in seconds, with a remark such as the read mode.
   */
  public record Measurement(String path, int leafSize, long bytes, double seconds, String note) {
    public double gigabytesPerSecond() {
      return bytes / seconds / 1e9;
    }
  }

  private CudaBenchmark(CudaEngine pinned, CudaEngine direct) {
    this.pinned = pinned;
    this.direct = direct;
    this.cpu = new CpuEngine(cores);
  }

  /**
   * Starts the engines: one reading through pinned buffers, one through cuFile with {@code
   * cufileConfig} (cufile.json). Done before the input file is written, so that a GPU that fails to
   * start costs no time.
   *
   * @throws IllegalStateException when no usable GPU exists or an engine fails its start
   */
  public static CudaBenchmark open(Path cufileConfig) {
    CudaEngine pinned = new CudaEngine(Map.of());
    try {
      return new CudaBenchmark(
          pinned, new CudaEngine(Map.of(CuFile.CONFIG_VARIABLE, cufileConfig.toString())));
    } catch (RuntimeException e) {
      pinned.close();
      throw e;
    }
  }

  /** The two engines, in words: device, SMs, compute mode, and how the second one reads files. */
  public String description() {
    return "pinned: " + pinned.description() + "; direct: " + direct.description();
  }

  /**
   * Runs every measurement over {@code file} and hands each to {@code sink} as it completes; the
   * cuFile path is measured once, at {@code cufileLeaf}, since each run reads the whole file.
   */
  public void run(
      Path file, long size, List<Integer> leafSizes, int cufileLeaf, Consumer<Measurement> sink) {
    Resource resource =
        new Resource(file.getFileName().toString(), List.of(new FileRegion(file, 0, size)));
    pinned.makeCurrent();
    sink.accept(
        new Measurement(
            "pinned host-to-device copy",
            0,
            size,
            copySeconds(size),
            "cuMemcpyHtoD, 256 MiB chunks"));
    try (DeviceMemory memory = new DeviceMemory(size)) {
      CUdeviceptr resident = memory.pointer;
      upload(resource.regions(), size, resident);
      var buffer = List.of(new CudaEngine.DeviceBuffer(resource.name(), resident, size));
      for (int leaf : leafSizes) {
        HashingOptions options = HashingOptions.merkle(HashAlgorithm.SHA256, leaf);
        String loads = CudaKernels.vectorLoads(resident, leaf) ? "128-bit loads" : "byte loads";
        sink.accept(
            new Measurement(
                "leaf kernel (cuEvent)",
                leaf,
                size,
                bestKernelSeconds(resident, size, leaf),
                loads));
        sink.accept(
            new Measurement(
                "in-place (device memory)",
                leaf,
                size,
                best(() -> pinned.hashDevice(buffer, options)),
                ""));
        sink.accept(
            new Measurement(
                "pinned path (page cache)",
                leaf,
                size,
                best(() -> pinned.hash(List.of(resource), options)),
                ""));
        sink.accept(
            new Measurement(
                "cpu engine, " + cores + " threads",
                leaf,
                size,
                best(() -> cpu.hash(List.of(resource), options)),
                ""));
      }
    }
    if (direct.readsDirect()) {
      HashingOptions options = HashingOptions.merkle(HashAlgorithm.SHA256, cufileLeaf);
      long start = System.nanoTime();
      direct.hash(List.of(resource), options);
      double seconds = (System.nanoTime() - start) / 1e9;
      sink.accept(
          new Measurement(
              "cuFile path (one run)", cufileLeaf, size, seconds, direct.description()));
    } else {
      sink.accept(
          new Measurement(
              "cuFile path", 0, 0, Double.NaN, "not measured: " + direct.description()));
    }
  }

  private static double best(Runnable work) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      work.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }

  /**
   * The fastest of a few runs of the leaf kernel over data, timed by events on the default stream.
   */
  private double bestKernelSeconds(CUdeviceptr data, long size, int leaf) {
    CUevent start = new CUevent();
    CUevent stop = new CUevent();
    cuEventCreate(start, 0);
    cuEventCreate(stop, 0);
    try (DeviceMemory digests =
        new DeviceMemory(CudaKernels.leafCount(size, leaf) * HashAlgorithm.SHA256.digestLength())) {
      double best = Double.MAX_VALUE;
      for (int i = 0; i < RUNS; i++) {
        cuEventRecord(start, null);
        pinned.kernels().leaves(HashAlgorithm.SHA256, data, size, leaf, digests.pointer, null);
        cuEventRecord(stop, null);
        cuEventSynchronize(stop);
        float[] millis = new float[1];
        cuEventElapsedTime(millis, start, stop);
        best = Math.min(best, millis[0] / 1e3);
      }
      return best;
    } finally {
      cuEventDestroy(start);
      cuEventDestroy(stop);
    }
  }

  /** Seconds to copy {@code size} bytes from one pinned buffer to the device, in chunks. */
  private static double copySeconds(long size) {
    Pointer host = new Pointer();
    cuMemAllocHost(host, COPY_CHUNK);
    try (DeviceMemory device = new DeviceMemory(COPY_CHUNK)) {
      return best(
          () -> {
            for (long done = 0; done < size; done += COPY_CHUNK) {
              cuMemcpyHtoD(device.pointer, host, Math.min(COPY_CHUNK, size - done));
            }
            cuCtxSynchronize();
          });
    } finally {
      cuMemFreeHost(host);
    }
  }

  /** Copies the file's bytes into device memory (untimed): the in-place runs hash real data. */
  private static void upload(List<ByteRegion> regions, long size, CUdeviceptr target) {
    Pointer host = new Pointer();
    cuMemAllocHost(host, COPY_CHUNK);
    try {
      ByteBuffer buffer = host.getByteBuffer(0, COPY_CHUNK);
      for (long done = 0; done < size; done += COPY_CHUNK) {
        int length = (int) Math.min(COPY_CHUNK, size - done);
        RegionReader.read(regions, done, buffer.clear().limit(length));
        cuMemcpyHtoD(target.withByteOffset(done), host, length);
      }
    } finally {
      cuMemFreeHost(host);
    }
  }

  @Override
  public void close() {
    try {
      cpu.close();
    } finally {
      try {
        direct.close();
      } finally {
        pinned.close();
      }
    }
  }
}
