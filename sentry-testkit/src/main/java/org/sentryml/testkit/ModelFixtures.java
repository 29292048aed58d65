package org.sentryml.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Model folders and files for tests: the fixtures of the Python {@code model_signing} test suite,
 * whose digests and statements are the goldens under {@code vectors/model-signing-goldens/}, and a
 * small model of a few kilobytes for command-line tests.
 */
public final class ModelFixtures {
  /**
   * The {@code model_signing} fixtures {@link #modelSigning} rebuilds. Its {@code
   * symlink_model_folder} is not among them: its link points outside the model folder, which Sentry
   * never follows.
   */
  public static final List<String> MODEL_SIGNING =
      List.of(
          "sample_model_file",
          "empty_model_file",
          "sample_model_folder",
          "empty_model_folder",
          "model_folder_with_empty_file",
          "deep_model_folder");

  private ModelFixtures() {}

  /**
   * Creates the {@code model_signing} fixture {@code name} (one of {@link #MODEL_SIGNING}) under
   * {@code parent}, as that library's tests describe it (text files without a trailing newline),
   * and returns the model: a file or a folder named {@code name}.
   */
  public static Path modelSigning(String name, Path parent) {
    Path model = parent.resolve(name);
    switch (name) {
      case "sample_model_file" -> write(model, "This is a simple model");
      case "empty_model_file" -> write(model, "");
      case "sample_model_folder" -> {
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 3; j++) {
            write(
                model.resolve("d" + i + "/f" + i + j),
                "This is file f" + i + j + " in d" + i + ".");
          }
        }
        for (int i = 0; i < 4; i++) {
          write(model.resolve("f" + i), "This is file f" + i + " in root.");
        }
      }
      case "empty_model_folder" -> createDirectories(model);
      case "model_folder_with_empty_file" -> write(model.resolve("empty_file"), "");
      case "deep_model_folder" -> {
        for (int i = 0; i < 4; i++) {
          write(model.resolve("d0/d1/d2/d3/d4/f" + i), "This is file f" + i + ".");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "no model_signing fixture " + name + "; known: " + MODEL_SIGNING);
    }
    return model;
  }

  /**
   * Creates {@code dir/model}: {@code weights.bin} (11,200 bytes, more than one 4 KiB leaf), {@code
   * sub/config.json} and {@code tokenizer.txt}, and returns the folder.
   */
  public static Path smallModel(Path dir) {
    Path model = dir.resolve("model");
    write(model.resolve("weights.bin"), "0123456789abcdef".repeat(700));
    write(model.resolve("sub/config.json"), "{\"layers\": 3}");
    write(model.resolve("tokenizer.txt"), "a b c");
    return model;
  }

  private static void write(Path file, String text) {
    TestFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void createDirectories(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
