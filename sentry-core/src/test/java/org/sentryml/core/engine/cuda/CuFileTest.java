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
 * The GPUDirect Storage decision without a GPU: which configuration is missing, and what the JNI
 * shim (native/gds, loaded for real) says when it tries to open libcufile.
 */
class CuFileTest {
  @TempDir Path dir;

  @Test
  void withoutConfigVariable_namesTheVariable() {
    CudaProbe.Availability a = CuFile.probe(Map.of());
    assertFalse(a.usable());
    assertEquals("CUFILE_ENV_PATH_JSON is not set (point it at cufile.json to use GPUDirect Storage)", a.reason());
  }

  @Test
  void configVariableNamingNoFile_saysSo() {
    Path missing = dir.resolve("absent.json");
    CudaProbe.Availability a = CuFile.probe(Map.of("CUFILE_ENV_PATH_JSON", missing.toString()));
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
    CudaProbe.Availability a = CuFile.probe(Map.of("CUFILE_ENV_PATH_JSON", config.toString()));
    if (a.usable()) {
      assertTrue(a.reason().startsWith("GPUDirect Storage"), a.reason());
      assertTrue(a.reason().endsWith("config " + config), a.reason());
    } else {
      assertTrue(
          a.reason().startsWith("libcufile not loadable: ") || a.reason().startsWith("cuFileDriverOpen failed: "),
          a.reason());
    }
  }

  @Test
  void shimStatus_separatesErrnoFromCuFileErrors() {
    assertEquals("errno 2", CuFile.status(-2));
    assertEquals("cuFile error 5001", CuFile.status(-6001));
  }
}
