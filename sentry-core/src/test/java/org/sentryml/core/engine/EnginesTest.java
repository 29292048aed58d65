package org.sentryml.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.sentryml.core.engine.cuda.CudaProbe;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.SentryException;

/** Engine selection where no usable GPU exists (these tests skip themselves on a GPU machine). */
@DisabledIf(
    value = "gpuUsable",
    disabledReason = "a usable GPU is present; the fallback cannot be observed")
class EnginesTest {
  static boolean gpuUsable() {
    return CudaProbe.probe().usable();
  }

  @Test
  void auto_withoutGpu_fallsBackToCpuAndSaysWhy() {
    List<String> said = new ArrayList<>();
    try (HashEngine engine = Engines.create(Engines.Device.AUTO, 1, said::add)) {
      assertInstanceOf(CpuEngine.class, engine);
    }
    assertEquals(1, said.size(), said.toString());
    String reason = CudaProbe.probe().reason();
    assertTrue(said.get(0).startsWith("device auto: chose cpu"), said.get(0));
    assertTrue(said.get(0).contains("cuda is unavailable: " + reason), said.get(0));
  }

  @Test
  void gpu_withoutGpu_exitsWithBackendUnavailableNamingTheReason() {
    SentryException e =
        assertThrows(SentryException.class, () -> Engines.create(Engines.Device.GPU, 1, s -> {}));
    assertInstanceOf(BackendUnavailableException.class, e);
    assertTrue(e.getMessage().contains(CudaProbe.probe().reason()), e.getMessage());
  }
}
