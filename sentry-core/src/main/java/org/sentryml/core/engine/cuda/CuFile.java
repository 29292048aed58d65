package org.sentryml.core.engine.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sentryml.core.engine.cuda.CudaProbe.Availability;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.io.BundledLibrary;

/**
 * GPUDirect Storage: reads file bytes straight into device memory through cuFile, via the JNI shim
 * of native/gds (which dlopen()s libcufile, so nothing here needs GDS to be installed). Used only
 * when CUFILE_ENV_PATH_JSON names a readable cuFile configuration and the driver opens; whether the
 * nvidia-fs kernel module is loaded tells true GDS from cuFile's compat mode (POSIX reads through
 * its own bounce buffers), and the availability says which.
 */
final class CuFile {
  static final String CONFIG_VARIABLE = "CUFILE_ENV_PATH_JSON";
  private static final String RESOURCE = "/native/linux-x86_64/libsentry_cufile.so";
  private static final Path NVIDIA_FS_MODULE = Path.of("/sys/module/nvidia_fs");

  private static String loadFailure;
  private static boolean loaded;

  private CuFile() {}

  /**
   * Whether cuFile can serve reads in this process, and in which mode; never throws. Must be
   * called after the CUDA context exists (cuFileDriverOpen attaches to it).
   */
  static synchronized Availability probe(Map<String, String> environment) {
    String config = environment.get(CONFIG_VARIABLE);
    if (config == null || config.isBlank()) {
      return new Availability(false, CONFIG_VARIABLE + " is not set (point it at cufile.json to use GPUDirect Storage)");
    }
    if (!Files.isReadable(Path.of(config))) {
      return new Availability(false, CONFIG_VARIABLE + " names " + config + ", which is not a readable file");
    }
    String failure = loadShim();
    if (failure == null) {
      failure = open();
    }
    if (failure != null) {
      return new Availability(false, failure);
    }
    return Files.isDirectory(NVIDIA_FS_MODULE)
        ? new Availability(true, "GPUDirect Storage (nvidia-fs loaded), config " + config)
        : new Availability(
            true,
            "GPUDirect Storage in compat mode (nvidia-fs kernel module not loaded: cuFile reads through host"
                + " bounce buffers), config " + config);
  }

  private static String loadShim() {
    if (loaded) {
      return loadFailure;
    }
    loaded = true;
    loadFailure = BundledLibrary.load(CuFile.class, RESOURCE, "the cuFile shim", null);
    return loadFailure;
  }

  /** A file registered with cuFile, read at any offset into device memory. */
  static final class RegisteredFile implements AutoCloseable {
    private final Path path;
    private long handle;

    /** @throws SentryException (I/O error) when the file cannot be opened or cuFile refuses it */
    RegisteredFile(Path path) {
      this.path = path;
      long h = register(path.toString());
      if (h <= 0) {
        throw new SentryException(ExitCode.IO_ERROR, "cuFile cannot open " + path + ": " + status(h));
      }
      this.handle = h;
    }

    /**
     * Reads exactly {@code size} bytes at {@code fileOffset} to device address {@code device}.
     *
     * @throws SentryException (I/O error) on a failed or short read (a file that shrank)
     */
    void readFully(long device, long size, long fileOffset) {
      long done = 0;
      while (done < size) {
        long n = read(handle, device + done, size - done, fileOffset + done);
        if (n < 0) {
          throw new SentryException(ExitCode.IO_ERROR, "cuFileRead of " + path + " failed with status " + n);
        }
        if (n == 0) {
          throw new SentryException(ExitCode.IO_ERROR, "file " + path + " became shorter while it was being hashed");
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

  /** A negative shim status in words: -errno from open(2), or -(1000 + cuFile error). */
  static String status(long negative) {
    long code = -negative;
    return code >= 1000 ? "cuFile error " + (code - 1000) : "errno " + code;
  }

  private static native String open();

  private static native long register(String path);

  private static native long read(long handle, long device, long size, long fileOffset);

  private static native void deregister(long handle);
}
