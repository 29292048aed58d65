package org.sentryml.core.engine.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import jcuda.runtime.JCuda;

/**
 * Decides whether the cuda engine can run here, without ever throwing: the kernels must be packaged
 * and JCuda's runtime must find libcuda and at least one device. The runtime API is used for the
 * probe because JCudaDriver's class initializer throws UnsatisfiedLinkError without libcuda.so.1.
 * Thread-safe; each call probes again.
 */
public final class CudaProbe {
  /** Classpath resource written by native/cuda/build-fatbin.sh through the sentry-core build. */
  public static final String FATBIN_RESOURCE = "/native/cuda/sentry_kernels.fatbin";

  // cudaError_t values of the CUDA runtime API.
  private static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;
  private static final int CUDA_ERROR_NO_DEVICE = 100;

  private CudaProbe() {}

  /** The outcome: usable, or unusable with a reason a user can act on. */
  public record Availability(boolean usable, String reason) {
    @Override
    public String toString() {
      return usable ? "available: " + reason : "unavailable: " + reason;
    }
  }

  public static Availability probe() {
    if (CudaProbe.class.getResource(FATBIN_RESOURCE) == null) {
      return new Availability(
          false,
          "kernels not packaged ("
              + FATBIN_RESOURCE
              + " missing: sentry-core was built without nvcc)");
    }
    try {
      int[] count = new int[1];
      int status = JCuda.cudaGetDeviceCount(count);
      if (status == CUDA_ERROR_INSUFFICIENT_DRIVER) {
        // What the runtime says when libcuda.so.1 is absent as well as when it is too old.
        return new Availability(
            false,
            "missing libcuda: libcuda.so.1 not found, or its driver older than CUDA 12.0 (JCuda 12.6.0's runtime)");
      }
      if (status == CUDA_ERROR_NO_DEVICE) {
        return new Availability(false, "no CUDA device");
      }
      if (status != 0) {
        return new Availability(
            false, "CUDA runtime error " + status + ": " + JCuda.cudaGetErrorString(status));
      }
      if (count[0] < 1) {
        return new Availability(false, "no CUDA device");
      }
      return new Availability(true, count[0] + " CUDA device(s)");
    } catch (Throwable t) {
      // UnsatisfiedLinkError (no libcuda / no JCuda natives for this platform) and friends.
      return new Availability(false, "CUDA runtime unusable (missing libcuda?): " + t);
    }
  }

  /** The packaged fatbin, empty when the build had no nvcc. */
  static Optional<byte[]> fatbin() throws IOException {
    try (InputStream in = CudaProbe.class.getResourceAsStream(FATBIN_RESOURCE)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    }
  }
}
