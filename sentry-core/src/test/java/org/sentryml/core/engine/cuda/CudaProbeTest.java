package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

class CudaProbeTest {
  static boolean gpuUsable() {
    return CudaProbe.probe().usable();
  }

  @Test
  void probe_neverThrowsAndAlwaysGivesAReason() {
    CudaProbe.Availability a = CudaProbe.probe();
    assertFalse(a.reason().isBlank());
    assertTrue(a.toString().startsWith(a.usable() ? "available: " : "unavailable: "), a.toString());
    // The outcome is stable: a second probe agrees.
    assertEquals(a.usable(), CudaProbe.probe().usable());
  }

  @Test
  @DisabledIf(value = "gpuUsable", disabledReason = "a usable GPU is present")
  void engine_withoutGpu_refusesWithTheProbeReason() {
    IllegalStateException e = assertThrows(IllegalStateException.class, CudaEngine::new);
    assertTrue(
        e.getMessage().contains("unavailable: " + CudaProbe.probe().reason()), e.getMessage());
  }
}
