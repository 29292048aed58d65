package org.sentryml.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rebuilds the model fixtures of the Python model_signing test suite, as described in
 * shared/testdata/README.md, so that Sentry's statements can be compared with its goldens.
 */
public final class ModelSigningFixtures {
  /** The shared test data folder (the repository's sibling {@code shared/testdata}). */
  public static final Path TESTDATA = locateTestdata();

  private ModelSigningFixtures() {}

  private static Path locateTestdata() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/testdata");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("shared/testdata not found above " + Path.of("").toAbsolutePath());
  }

  /** Creates fixture {@code name} under {@code parent} and returns the model path (folder or file). */
  public static Path create(String name, Path parent) throws IOException {
    switch (name) {
      case "sample_model_file" -> {
        return write(parent.resolve("sample_model_file"), "This is a simple model");
      }
      case "empty_model_file" -> {
        return write(parent.resolve("empty_model_file"), "");
      }
      case "sample_model_folder" -> {
        Path model = Files.createDirectories(parent.resolve("sample_model_folder"));
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 3; j++) {
            write(model.resolve("d" + i + "/f" + i + j), "This is file f" + i + j + " in d" + i + ".");
          }
        }
        for (int i = 0; i < 4; i++) {
          write(model.resolve("f" + i), "This is file f" + i + " in root.");
        }
        return model;
      }
      case "empty_model_folder" -> {
        return Files.createDirectories(parent.resolve("empty_model_folder"));
      }
      case "model_folder_with_empty_file" -> {
        Path model = Files.createDirectories(parent.resolve("model_folder_with_empty_file"));
        write(model.resolve("empty_file"), "");
        return model;
      }
      case "deep_model_folder" -> {
        Path model = Files.createDirectories(parent.resolve("deep_model_folder"));
        for (int i = 0; i < 4; i++) {
          write(model.resolve("d0/d1/d2/d3/d4/f" + i), "This is file f" + i + ".");
        }
        return model;
      }
      default -> throw new IllegalArgumentException("unknown fixture " + name);
    }
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
