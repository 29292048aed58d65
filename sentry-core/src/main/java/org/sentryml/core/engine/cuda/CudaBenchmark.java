package org.sentryml.core.engine.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
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
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.RegionReader;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.ByteRegion;
import org.sentryml.core.manifest.ByteRegion.FileRegion;
import org.sentryml.core.manifest.Resource;

/**
 * In-process GPU throughput of sha256-merkle, one file from the page cache, every path the issue
 * asks about in one run: the pinned host-to-device copy bandwidth (the ceiling of the pinned path),
 * in-place hashing of the same bytes already in device memory, the pinned path, the cuFile path and
 * the CPU engine on all cores, each per leaf size so that the best one can become the default.
 * Timings are wall clock around calls that return only when the device is done (they copy roots
 * back); the fastest of a few runs counts.
 */
public final class CudaBenchmark {
  private static final long COPY_CHUNK = 256L << 20;
  private static final int RUNS = 3;

  private CudaBenchmark() {}

  /** One measured path: bytes hashed (or copied) in seconds, with a remark such as the read mode. */
  public record Measurement(String path, int leafSize, long bytes, double seconds, String note) {
    public double gigabytesPerSecond() {
      return bytes / seconds / 1e9;
    }
  }

  /**
   * Runs every measurement over {@code file} and hands each to {@code sink} as it completes.
   *
   * @param cufileConfig the cuFile configuration for the direct-read path (cufile.json)
   * @throws IllegalStateException when no usable GPU exists
   */
  public static void run(Path file, long size, List<Integer> leafSizes, Path cufileConfig, Consumer<Measurement> sink) {
    Resource resource = new Resource(file.getFileName().toString(), List.of(new FileRegion(file, 0, size)));
    int cores = Runtime.getRuntime().availableProcessors();
    try (CudaEngine pinned = new CudaEngine(Map.of());
        CudaEngine direct = new CudaEngine(Map.of(CuFile.CONFIG_VARIABLE, cufileConfig.toString()));
        CpuEngine cpu = new CpuEngine(cores)) {
      pinned.makeCurrent();
      sink.accept(new Measurement("pinned host-to-device copy", 0, size, copySeconds(size), "cuMemcpyHtoD, 256 MiB chunks"));
      try (DeviceMemory memory = new DeviceMemory(size)) {
        CUdeviceptr resident = memory.pointer;
        upload(resource.regions(), size, resident);
        for (int leaf : leafSizes) {
          HashingOptions options = HashingOptions.merkle(HashAlgorithm.SHA256, leaf);
          var buffer = List.of(new CudaEngine.DeviceBuffer(resource.name(), resident, size));
          sink.accept(new Measurement("in-place (device memory)", leaf, size, best(() -> pinned.hashDevice(buffer, options)), ""));
          sink.accept(
              new Measurement("pinned path (page cache)", leaf, size, best(() -> pinned.hash(List.of(resource), options)), ""));
          if (direct.readsDirect()) {
            sink.accept(
                new Measurement("cuFile path", leaf, size, best(() -> direct.hash(List.of(resource), options)), direct.description()));
          }
          sink.accept(
              new Measurement("cpu engine, " + cores + " threads", leaf, size, best(() -> cpu.hash(List.of(resource), options)), ""));
        }
        if (!direct.readsDirect()) {
          sink.accept(new Measurement("cuFile path", 0, 0, Double.NaN, "not measured: " + direct.description()));
        }
        pinned.makeCurrent(); // the resident buffer is freed in the context it came from
      }
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
}
