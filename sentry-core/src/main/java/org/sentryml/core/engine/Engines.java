package org.sentryml.core.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.SentryException;
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
                  new SentryException(
                      ExitCode.USAGE,
                      "unknown device '" + id + "'; expected one of "
                          + Arrays.stream(values()).map(d -> d.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))));
    }
  }

  /** Why no GPU engine can be used in this build, for messages. */
  static final String NO_GPU_REASON = "this build has no CUDA engine";

  /**
   * Creates the engine for {@code device}; {@code auto} reports its choice through {@code
   * explain}.
   *
   * @param threads CPU threads, or 0 for one per core
   */
  public static HashEngine create(Device device, int threads, Consumer<String> explain) {
    if (threads < 0) {
      throw new SentryException(ExitCode.USAGE, "--threads must be 0 (all cores) or more, not " + threads);
    }
    int cpuThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    return switch (device) {
      case CPU -> new CpuEngine(cpuThreads);
      case GPU -> throw new SentryException(ExitCode.BACKEND_UNAVAILABLE, "GPU engine unavailable: " + NO_GPU_REASON);
      case AUTO -> {
        CpuEngine engine = new CpuEngine(cpuThreads);
        explain.accept("device auto: chose " + engine.description() + " because " + NO_GPU_REASON);
        yield engine;
      }
    };
  }

  /** One line saying which engines this build and machine can run, and why not the others. */
  public static String availability() {
    String cpu = "cpu (" + Runtime.getRuntime().availableProcessors() + " cores, native SHA-256 leaves "
        + (NativeSha256.available() ? "yes" : "no: " + NativeSha256.unavailableReason()) + ")";
    return cpu + "; cuda unavailable: " + NO_GPU_REASON;
  }
}
