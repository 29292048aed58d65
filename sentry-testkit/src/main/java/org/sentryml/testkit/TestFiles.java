package org.sentryml.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/** Seeded test data, and copying and deleting the folders tests make. */
public final class TestFiles {
  private TestFiles() {}

  public static byte[] randomBytes(long seed, int length) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  public static Path write(Path file, byte[] data) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies the folder {@code from} to {@code to}, folders first, each file with {@code options}
   * (without {@code REPLACE_EXISTING} a file already at the target fails the copy).
   */
  public static void copyTree(Path from, Path to, CopyOption... options) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path path : walk.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, options);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the folder {@code root} and everything in it; any file that resists fails the test. */
  public static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
