package org.sentryml.core.engine.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sentryml.core.engine.cuda.CudaProbe.Availability;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.io.BundledLibrary;

/**
 * GPUDirect Storage: reads file bytes straight into device memory through cuFile, via the JNI shim
 * of native/gds (which dlopen()s libcufile, so nothing here needs GDS to be installed). Used only
 * when a cuFile configuration is named (CUFILE_ENV_PATH_JSON in the environment the engine is
 * given) and the driver opens; whether the nvidia-fs kernel module is loaded tells true GDS from
 * cuFile's compat mode (POSIX reads through its own bounce buffers), and the availability says
 * which. Calls that touch device memory need the engine's context current on the calling thread.
 */
final class CuFile {
  static final String CONFIG_VARIABLE = "CUFILE_ENV_PATH_JSON";
  private static final String RESOURCE = "/native/linux-x86_64/libsentry_cufile.so";
  private static final Path NVIDIA_FS_MODULE = Path.of("/sys/module/nvidia_fs");

  private static String loadFailure;
  private static boolean loaded;

  /** Engines holding the driver open, and the configuration it was opened with. */
  private static int users;

  private static String openedConfig;

  private CuFile() {}

  /**
   * Whether cuFile can serve one engine's reads in this process, and in which mode; never throws. A
   * usable answer holds the driver open until {@link #release()}. Must be called with the engine's
   * context current (cuFileDriverOpen attaches to it). The configuration named by {@code
   * environment} is put into the process environment before the driver opens, since libcufile reads
   * it from there; a driver already open keeps the configuration it was opened with, and the answer
   * names that one.
   */
  static synchronized Availability acquire(Map<String, String> environment) {
    String config = environment.get(CONFIG_VARIABLE);
    if (config == null || config.isBlank()) {
      return new Availability(
          false,
          CONFIG_VARIABLE + " is not set (point it at cufile.json to use GPUDirect Storage)");
    }
    if (!Files.isReadable(Path.of(config))) {
      return new Availability(
          false, CONFIG_VARIABLE + " names " + config + ", which is not a readable file");
    }
    String failure = loadShim();
    if (failure == null && users == 0) {
      failure = open(config);
      openedConfig = failure == null ? config : null;
    }
    if (failure != null) {
      return new Availability(false, failure);
    }
    users++;
    return nativeGds()
        ? new Availability(true, "GPUDirect Storage (nvidia-fs loaded), config " + openedConfig)
        : new Availability(
            true,
            "GPUDirect Storage in compat mode (nvidia-fs kernel module not loaded: cuFile reads through host"
                + " bounce buffers), config "
                + openedConfig);
  }

  /** Gives back what a usable {@link #acquire} took; the last engine out closes the driver. */
  static synchronized void release() {
    if (users > 0 && --users == 0) {
      close();
    }
  }

  /** Whether reads can bypass the page cache (nvidia-fs loaded), which is when O_DIRECT pays. */
  static boolean nativeGds() {
    return Files.isDirectory(NVIDIA_FS_MODULE);
  }

  /**
   * Registers device memory [base, base + size) with cuFile, so that reads into it land there
   * directly instead of through cuFile's bounce buffers.
   *
   * @return null, or why cuFile refused (the memory can still be read into, more slowly)
   */
  static String registerBuffer(long base, long size) {
    long status = bufRegister(base, size);
    return status == 0 ? null : "cuFileBufRegister: " + status(status);
  }

  static void deregisterBuffer(long base) {
    bufDeregister(base);
  }

  private static String loadShim() {
    if (loaded) {
      return loadFailure;
    }
    loaded = true;
    loadFailure = BundledLibrary.load(CuFile.class, RESOURCE, "the cuFile shim", null);
    return loadFailure;
  }

  /**
   * A file registered with cuFile, read at any offset into device memory; safe for concurrent
   * reads.
   */
  static final class RegisteredFile implements AutoCloseable {
    private final Path path;
    private long handle;

    /**
     * @param direct whether to ask for O_DIRECT (real GDS mode); a file system that refuses it is
     *     read through the page cache
     * @throws SentryException (I/O error) when the file cannot be opened or cuFile refuses it
     */
    RegisteredFile(Path path, boolean direct) {
      this.path = path;
      long h = register(path.toString(), direct);
      if (h <= 0) {
        throw new IoFailureException("cuFile cannot open " + path + ": " + status(h));
      }
      this.handle = h;
    }

    /**
     * Reads exactly {@code size} bytes at {@code fileOffset} to device address {@code base +
     * bufferOffset}, {@code base} being the start of a registered buffer (or any device pointer,
     * with offset 0).
     *
     * @throws SentryException (I/O error) on a failed or short read (a file that shrank)
     */
    void readFully(long base, long bufferOffset, long size, long fileOffset) {
      long done = 0;
      while (done < size) {
        long n = read(handle, base, size - done, fileOffset + done, bufferOffset + done);
        if (n < 0) {
          throw new IoFailureException("cuFileRead of " + path + " failed: " + status(n));
        }
        if (n == 0) {
          throw new IoFailureException(
              "file " + path + " became shorter while it was being hashed");
        }
        done += n;
      }
    }

    @Override
    public void close() {
      if (handle > 0) {
        deregister(handle);
        handle = 0;
      }
    }
  }

  /** A negative shim status in words: -errno from the system, or -(1000 + cuFile error). */
  static String status(long negative) {
    long code = -negative;
    return code >= 1000 ? "cuFile error " + (code - 1000) : "errno " + code;
  }

  private static native String open(String config);

  private static native void close();

  private static native long bufRegister(long base, long size);

  private static native void bufDeregister(long base);

  private static native long register(String path, boolean direct);

  private static native long read(
      long handle, long base, long size, long fileOffset, long bufferOffset);

  private static native void deregister(long handle);
}
