package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPUDirect Storage decision without a GPU: which configuration is missing, what the JNI shim
 * (native/gds, loaded for real) says when it tries to open libcufile, and how reads are cut between
 * cuFile and the pinned buffer.
 */
class CuFileTest {
  private static final String SHIM = "/native/linux-x86_64/libsentry_cufile.so";

  @TempDir Path dir;

  @Test
  void withoutConfigVariable_namesTheVariable() {
    CudaProbe.Availability a = CuFile.acquire(Map.of());
    assertFalse(a.usable());
    assertEquals(
        "CUFILE_ENV_PATH_JSON is not set (point it at cufile.json to use GPUDirect Storage)",
        a.reason());
  }

  @Test
  void configVariableNamingNoFile_saysSo() {
    Path missing = dir.resolve("absent.json");
    CudaProbe.Availability a = CuFile.acquire(Map.of("CUFILE_ENV_PATH_JSON", missing.toString()));
    assertFalse(a.usable());
    assertEquals(
        "CUFILE_ENV_PATH_JSON names " + missing + ", which is not a readable file", a.reason());
  }

  /**
   * With a configuration the shim (native/gds, built with gcc) is loaded and asked to open the
   * driver; where the dynamic linker has no libcufile (here and in CI: no GPU, no GDS) it must name
   * the library it could not open. Machines with GDS are CudaEngineGpuTest's.
   */
  @Test
  @DisabledIf(
      value = "libcufileInstalled",
      disabledReason = "libcufile is installed here: CudaEngineGpuTest opens the driver")
  void withConfigButNoLibcufile_namesTheLibraryItCouldNotOpen() throws Exception {
    Assumptions.assumeTrue(
        CuFile.class.getResource(SHIM) != null,
        "the build had no gcc, so " + SHIM + " is not packaged");
    Path config = Files.writeString(dir.resolve("cufile.json"), "{}");
    CudaProbe.Availability a = CuFile.acquire(Map.of("CUFILE_ENV_PATH_JSON", config.toString()));
    assertFalse(a.usable());
    assertEquals(
        "libcufile not loadable: libcufile.so: cannot open shared object file: No such file or directory",
        a.reason());
  }

  /**
   * Whether the dynamic linker finds libcufile, judged without the shim: ldconfig's cache or
   * LD_LIBRARY_PATH.
   */
  static boolean libcufileInstalled() throws IOException, InterruptedException {
    for (String folder : System.getenv().getOrDefault("LD_LIBRARY_PATH", "").split(":", -1)) {
      if (!folder.isEmpty()
          && (Files.exists(Path.of(folder, "libcufile.so.0"))
              || Files.exists(Path.of(folder, "libcufile.so")))) {
        return true;
      }
    }
    Process ldconfig = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
    String cache = new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (ldconfig.waitFor() != 0) {
      throw new IOException("ldconfig -p failed: " + cache);
    }
    return cache.contains("libcufile.so");
  }

  @Test
  void splitAtPageBoundaries_headWholeBlocksTail() {
    assertEquals(new DirectReader.Split(0, 8192, 0), DirectReader.split(4096, 8192));
    assertEquals(
        new DirectReader.Split(4095, 4096, 10), DirectReader.split(4097, 4095 + 4096 + 10));
    assertEquals(new DirectReader.Split(0, 0, 100), DirectReader.split(0, 100));
    // A piece inside one page is all head: no O_DIRECT read for it.
    assertEquals(new DirectReader.Split(10, 0, 0), DirectReader.split(4097, 10));
    assertEquals(new DirectReader.Split(0, 0, 0), DirectReader.split(123, 0));
    long past4g = (4L << 30) + 1;
    assertEquals(
        new DirectReader.Split(4095, 1L << 20, 1),
        DirectReader.split(past4g, 4095 + (1L << 20) + 1));
  }

  @Test
  void shimStatus_separatesErrnoFromCuFileErrors() {
    assertEquals("errno 2", CuFile.status(-2));
    assertEquals("cuFile error 5001", CuFile.status(-6001));
  }
}
