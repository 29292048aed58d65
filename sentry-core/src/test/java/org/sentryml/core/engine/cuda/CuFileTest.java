package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPUDirect Storage decision without a GPU: which configuration is missing, what the JNI shim
 * (native/gds, loaded for real) says when it tries to open libcufile, and how reads are cut between
 * cuFile and the pinned buffer.
 */
class CuFileTest {
  @TempDir Path dir;

  @Test
  void withoutConfigVariable_namesTheVariable() {
    CudaProbe.Availability a = CuFile.acquire(Map.of());
    assertFalse(a.usable());
    assertEquals("CUFILE_ENV_PATH_JSON is not set (point it at cufile.json to use GPUDirect Storage)", a.reason());
  }

  @Test
  void configVariableNamingNoFile_saysSo() {
    Path missing = dir.resolve("absent.json");
    CudaProbe.Availability a = CuFile.acquire(Map.of("CUFILE_ENV_PATH_JSON", missing.toString()));
    assertFalse(a.usable());
    assertEquals("CUFILE_ENV_PATH_JSON names " + missing + ", which is not a readable file", a.reason());
  }

  /**
   * With a configuration the shim is loaded and asked to open the driver: where libcufile is absent
   * (as here and in CI) it must say so; where it exists, the driver either opens, in a reported
   * mode, or its failure is reported.
   */
  @Test
  void withConfig_shimReportsLibcufileOrMode() throws Exception {
    Path config = Files.writeString(dir.resolve("cufile.json"), "{}");
    CudaProbe.Availability a = CuFile.acquire(Map.of("CUFILE_ENV_PATH_JSON", config.toString()));
    if (a.usable()) {
      CuFile.release();
      assertTrue(a.reason().startsWith("GPUDirect Storage"), a.reason());
      assertTrue(a.reason().endsWith("config " + config), a.reason());
    } else {
      assertTrue(
          a.reason().startsWith("libcufile not loadable: ") || a.reason().startsWith("cuFileDriverOpen failed: "),
          a.reason());
    }
  }

  @Test
  void splitAtPageBoundaries_headWholeBlocksTail() {
    assertEquals(new DirectReader.Split(0, 8192, 0), DirectReader.split(4096, 8192));
    assertEquals(new DirectReader.Split(4095, 4096, 10), DirectReader.split(4097, 4095 + 4096 + 10));
    assertEquals(new DirectReader.Split(0, 0, 100), DirectReader.split(0, 100));
    // A piece inside one page is all head: no O_DIRECT read for it.
    assertEquals(new DirectReader.Split(10, 0, 0), DirectReader.split(4097, 10));
    assertEquals(new DirectReader.Split(0, 0, 0), DirectReader.split(123, 0));
    long past4g = (4L << 30) + 1;
    assertEquals(new DirectReader.Split(4095, 1L << 20, 1), DirectReader.split(past4g, 4095 + (1L << 20) + 1));
  }

  @Test
  void shimStatus_separatesErrnoFromCuFileErrors() {
    assertEquals("errno 2", CuFile.status(-2));
    assertEquals("cuFile error 5001", CuFile.status(-6001));
  }
}
