package org.sentryml.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.hashing.HashAlgorithm;

/** A file far larger than the heap hashes in a child JVM with a 32 MiB heap and a small RSS. */
class BoundedFootprintTest {
  private static final long FILE_BYTES = 768L << 20;

  @TempDir Path dir;

  @Test
  void fileLargerThanTheHeapHashesWithABoundedFootprint() throws Exception {
    Path file = dir.resolve("large.bin");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(FILE_BYTES); // sparse: reads as zeros without using disk
      raf.seek(FILE_BYTES / 2);
      raf.write("marker in the middle".getBytes(StandardCharsets.UTF_8));
    }
    String expected;
    try (CpuEngine engine = new CpuEngine(2)) {
      Resource resource = new Resource(".", List.of(new FileRegion(file, 0, FILE_BYTES)));
      expected =
          engine
              .hash(List.of(resource), HashingOptions.merkle(HashAlgorithm.SHA256, 65536))
              .get(0)
              .digest()
              .hex();
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-Xmx32m",
                "-XX:MaxDirectMemorySize=32m",
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                FootprintProbe.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines =
        new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertEquals(0, child.waitFor(), String.join("\n", lines));
    assertEquals(expected, lines.get(lines.size() - 2));
    long peakKib = Long.parseLong(lines.get(lines.size() - 1));
    assertTrue(
        peakKib < 200 * 1024,
        "peak RSS " + peakKib + " KiB for a " + (FILE_BYTES >> 20) + " MiB file");
  }
}
