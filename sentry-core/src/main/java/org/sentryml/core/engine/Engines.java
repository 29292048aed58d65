package org.sentryml.core.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.sentryml.core.engine.cuda.CudaEngine;
import org.sentryml.core.engine.cuda.CudaProbe;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.NativeSha256;

/** Chooses a {@link HashEngine} for {@code --device auto|cpu|gpu}. */
public final class Engines {
  private Engines() {}

  public enum Device {
    AUTO,
    CPU,
    GPU;

    public static Device parse(String id) {
      return Arrays.stream(values())
          .filter(d -> d.name().equalsIgnoreCase(id))
          .findFirst()
          .orElseThrow(
              () ->
                  new UsageException(
                      "unknown device '"
                          + id
                          + "'; expected one of "
                          + Arrays.stream(values())
                              .map(d -> d.name().toLowerCase(Locale.ROOT))
                              .collect(Collectors.joining(", "))));
    }
  }

  /**
   * Creates the engine for {@code device}: {@code gpu} fails with exit code 5 and the probe's
   * reason when no usable GPU or kernels exist, and otherwise reports how files will reach the
   * device (cuFile or pinned buffers, and why) through {@code explain}; {@code auto} picks cuda
   * when it can, else cpu, and reports its choice and reason through {@code explain}.
   *
   * @param threads CPU threads, or 0 for one per core
   */
  public static HashEngine create(Device device, int threads, Consumer<String> explain) {
    int limit = maxThreads();
    if (threads < 0 || threads > limit) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "--threads must be from 0 (one per core) to %d (four per core), not %d",
              limit,
              threads));
    }
    int cpuThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    return switch (device) {
      case CPU -> new CpuEngine(cpuThreads);
      case GPU -> {
        CudaProbe.Availability gpu = CudaProbe.probe();
        if (!gpu.usable()) {
          throw new BackendUnavailableException("GPU engine unavailable: " + gpu.reason());
        }
        CudaEngine engine;
        try {
          engine = new CudaEngine();
        } catch (RuntimeException | LinkageError e) {
          throw new BackendUnavailableException("GPU engine unavailable: " + e.getMessage());
        }
        explain.accept("device gpu: " + engine.description());
        yield engine;
      }
      case AUTO -> {
        CudaProbe.Availability gpu = CudaProbe.probe();
        String reason = gpu.reason();
        if (gpu.usable()) {
          try {
            CudaEngine engine = new CudaEngine();
            explain.accept("device auto: chose " + engine.description() + " because " + reason);
            yield engine;
          } catch (RuntimeException | LinkageError e) {
            // A device that fails to open or fails the self-test must not stop hashing on the CPU.
            reason = "the cuda engine failed to start: " + e.getMessage();
          }
        }
        CpuEngine engine = new CpuEngine(cpuThreads);
        explain.accept(
            "device auto: chose "
                + engine.description()
                + " because cuda is unavailable: "
                + reason);
        yield engine;
      }
    };
  }

  /**
   * The most CPU threads a command may ask for: four per core. More cannot hash faster (the leaf
   * hashing is compute-bound, reads are large) and each thread costs a stack and a read buffer.
   */
  public static int maxThreads() {
    return 4 * Runtime.getRuntime().availableProcessors();
  }

  /** One line saying which engines this build and machine can run, and why not the others. */
  public static String availability() {
    String cpu =
        "cpu ("
            + Runtime.getRuntime().availableProcessors()
            + " cores, native SHA-256 leaves "
            + (NativeSha256.available() ? "yes" : "no: " + NativeSha256.unavailableReason())
            + ")";
    return cpu + "; cuda " + CudaProbe.probe();
  }
}
