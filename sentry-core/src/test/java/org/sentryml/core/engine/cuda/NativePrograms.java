package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Finding nvcc and repository files, and running the host-compiled test programs, for the CUDA tests. */
final class NativePrograms {
  private NativePrograms() {}

  /** A finished command: its exit code and its standard output and error, merged. */
  record Result(int exitCode, String output) {}

  /**
   * Runs {@code command} with stdout and stderr merged into a log under {@code logDir}, feeding it
   * {@code stdin} (or nothing), and fails the test if it runs longer than {@code timeoutSeconds}.
   */
  static Result run(List<String> command, Map<String, String> env, String stdin, long timeoutSeconds, Path logDir)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(logDir, "run", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    if (stdin == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    if (stdin != null) {
      try (var in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail(command + " timed out after " + timeoutSeconds + " s:\n" + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** nvcc on PATH, else in /usr/local/cuda/bin. */
  static Optional<Path> findNvcc() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(
            Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isEmpty()).map(s -> Path.of(s, "nvcc")),
            Stream.of(Path.of("/usr/local/cuda/bin/nvcc")))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  /** A file by its path from the repository root, searching up from the working directory. */
  static Optional<Path> findOptional(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative).normalize();
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Path findRepositoryFile(String relative) {
    return findOptional(relative)
        .orElseThrow(() -> new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath()));
  }
}
