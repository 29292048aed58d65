package org.sentryml.core.engine.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The host test programs of the CUDA hash cores, which the sentry-core build compiles once with
 * nvcc (native/cuda/build-host-test.sh, in process-test-classes), and running them.
 */
final class NativePrograms {
  /** Set by the sentry-core pom's surefire configuration to the folder the build wrote them to. */
  private static final String FOLDER_PROPERTY = "sentry.cuda.hostPrograms";

  private NativePrograms() {}

  /** A finished command: its exit code and its standard output and error, merged. */
  record Result(int exitCode, String output) {}

  /**
   * The host program {@code name} ({@code host_test}, {@code host_hashes}) of this build. Skips the
   * calling test, saying why, where there is no nvcc; fails where nvcc exists but the build made no
   * program, since then the build, not the machine, is at fault.
   */
  static Path hostProgram(String name) {
    String folder = System.getProperty(FOLDER_PROPERTY);
    if (folder == null) {
      fail(
          FOLDER_PROPERTY
              + " is not set: run the tests through Maven, whose sentry-core build compiles the host programs");
    }
    Path program = Path.of(folder, name);
    if (Files.isExecutable(program)) {
      return program;
    }
    Assumptions.assumeTrue(
        findNvcc().isPresent(),
        "nvcc not found (not on PATH nor in /usr/local/cuda/bin): the build compiled no CUDA host programs");
    return fail(
        "nvcc is installed but the build made no "
            + program
            + " (was sentry.hostPrograms.skip set?)");
  }

  /**
   * Runs {@code command} with stdout and stderr merged into a log under {@code logDir}, feeding it
   * {@code stdin} (or nothing), and fails the test if it runs longer than {@code timeoutSeconds}.
   */
  static Result run(List<String> command, String stdin, long timeoutSeconds, Path logDir)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(logDir, "run", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
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

  /**
   * nvcc on PATH, else in /usr/local/cuda/bin, where build-host-test.sh and build-fatbin.sh look.
   */
  static Optional<Path> findNvcc() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(
            Stream.of(path.split(File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s, "nvcc")),
            Stream.of(Path.of("/usr/local/cuda/bin/nvcc")))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }
}
