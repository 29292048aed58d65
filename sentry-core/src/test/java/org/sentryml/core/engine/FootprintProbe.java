package org.sentryml.core.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.hashing.HashAlgorithm;

/**
 * Run in a child JVM with a small heap by {@link BoundedFootprintTest}: hashes one file with the
 * Merkle topology and prints the root and the process's peak resident set size.
 */
public final class FootprintProbe {
  private FootprintProbe() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Resource resource = new Resource(".", List.of(new FileRegion(file, 0, Files.size(file))));
    try (CpuEngine engine = new CpuEngine(2)) {
      String hex =
          engine
              .hash(List.of(resource), HashingOptions.merkle(HashAlgorithm.SHA256, 65536))
              .get(0)
              .digest()
              .hex();
      System.out.println(hex);
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        System.out.println(line.replaceAll("[^0-9]", ""));
      }
    }
  }
}
