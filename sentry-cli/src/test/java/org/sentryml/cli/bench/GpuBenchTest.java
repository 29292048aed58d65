package org.sentryml.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.cuda.CudaBenchmark.Measurement;
import org.sentryml.core.engine.cuda.CudaProbe;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.SentryException;

class GpuBenchTest {
  @TempDir Path dir;

  static boolean gpuUsable() {
    return CudaProbe.probe().usable();
  }

  @Test
  @DisabledIf(value = "gpuUsable", disabledReason = "a usable GPU is present")
  void withoutGpu_exitsFiveWithTheProbeReasonAndWritesNoInput() {
    Path input = dir.resolve("bench.bin");
    SentryException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SentryException.class,
            () -> new GpuBench(input, 1 << 20, null).run(new PrintWriter(new StringWriter())));
    assertInstanceOf(BackendUnavailableException.class, e);
    assertTrue(e.getMessage().contains(CudaProbe.probe().reason()), e.getMessage());
    assertFalse(Files.exists(input), "no benchmark input is written when the GPU is missing");
  }

  @Test
  void rows_giveThroughputAndRatioToTheMeasuredCopyBandwidth() {
    Measurement inPlace =
        new Measurement("in-place (device memory)", 65536, 8_000_000_000L, 0.02, "");
    assertEquals(
        "| in-place (device memory) | 65536 | 400.00 | 8.00 |  |", GpuBench.row(inPlace, 50.0));
    Measurement copy =
        new Measurement("pinned host-to-device copy", 0, 8_000_000_000L, 0.16, "cuMemcpyHtoD");
    assertEquals(
        "| pinned host-to-device copy |  | 50.00 | 1.00 | cuMemcpyHtoD |",
        GpuBench.row(copy, 50.0));
    Measurement skipped = new Measurement("cuFile path", 0, 0, Double.NaN, "not measured: why");
    assertEquals("| cuFile path | | | | not measured: why |", GpuBench.row(skipped, 50.0));
  }
}
