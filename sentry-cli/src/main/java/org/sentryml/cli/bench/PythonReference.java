package org.sentryml.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The model_signing-style reference (model_signing_shards.py, a resource of this jar): the OMS
 * shards method's hashing in Python's hashlib, 1 GB shards on two threads. Run only where python3
 * and its hashlib are present.
 */
final class PythonReference {
  static final String LABEL = "python3 model_signing_shards.py (hashlib, 1 GB shards, 2 threads)";
  private static final String RESOURCE = "model_signing_shards.py";

  private PythonReference() {}

  /** The script written to an owner-only temporary file, or null without python3 and hashlib. */
  static @Nullable Path script() {
    if (!BenchPlan.onPath("python3") || !hashlibPresent()) {
      return null;
    }
    try (InputStream in = PythonReference.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      Path file =
          Files.createTempFile(
              "sentry-bench-",
              ".py",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, in.readAllBytes());
      return file;
    } catch (IOException e) {
      return null;
    }
  }

  static List<String> command(Path script, String file) {
    return List.of("python3", script.toString(), file, "1000000000", "2");
  }

  static void delete(Path script) {
    try {
      Files.deleteIfExists(script);
    } catch (IOException e) {
      // A leftover temporary script is harmless.
    }
  }

  private static boolean hashlibPresent() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import hashlib")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
