package org.sentryml.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Models and shared test data for command-line tests. */
final class TestModels {
  static final Path TESTDATA = locate();
  static final Path OMS = TESTDATA.resolve("oms-spec");

  private TestModels() {}

  static Path model(Path dir) throws IOException {
    Path model = dir.resolve("model");
    Files.createDirectories(model.resolve("sub"));
    Files.writeString(model.resolve("weights.bin"), "0123456789abcdef".repeat(700));
    Files.writeString(model.resolve("sub/config.json"), "{\"layers\": 3}");
    Files.writeString(model.resolve("tokenizer.txt"), "a b c");
    return model;
  }

  private static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("shared/testdata"))) {
        return dir.resolve("shared/testdata");
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/testdata not found");
  }
}
