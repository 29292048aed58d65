package org.sentryml.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sentryml.core.errors.IoFailureException;

/**
 * Runs a whole process and measures its wall time and peak resident set size. Uses GNU time for the
 * peak RSS when it is installed (exact, from the kernel's rusage); otherwise polls the process's
 * {@code VmHWM}, which can miss growth in its last milliseconds.
 *
 * @param peakRssKib peak RSS in KiB, or -1 when it could not be measured
 */
public record MeasuredRun(List<String> command, double seconds, long peakRssKib, String output) {
  private static final Path GNU_TIME = Path.of("/usr/bin/time");

  public static MeasuredRun of(List<String> command) {
    try {
      return Files.isExecutable(GNU_TIME) ? withGnuTime(command) : withPolling(command);
    } catch (IOException e) {
      throw new IoFailureException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IoFailureException("interrupted while running " + command.get(0), e);
    }
  }

  private static MeasuredRun withGnuTime(List<String> command)
      throws IOException, InterruptedException {
    Path report = Files.createTempFile("sentry-bench-", ".time");
    try {
      List<String> timed =
          new ArrayList<>(List.of(GNU_TIME.toString(), "-f", "%M", "-o", report.toString()));
      timed.addAll(command);
      long start = System.nanoTime();
      Process process = new ProcessBuilder(timed).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      double seconds = (System.nanoTime() - start) / 1e9;
      checkExit(command, exit, output);
      String rss = Files.readString(report).trim();
      String lastLine = rss.substring(rss.lastIndexOf('\n') + 1).trim();
      return new MeasuredRun(command, seconds, Long.parseLong(lastLine), output);
    } finally {
      Files.deleteIfExists(report);
    }
  }

  private static MeasuredRun withPolling(List<String> command)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    long peak = -1;
    StringBuilder output = new StringBuilder();
    Thread drain =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    output.append(
                        new String(
                            process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException ignored) {
                    // The process output is informational only.
                  }
                });
    while (process.isAlive()) {
      peak = Math.max(peak, readHighWaterMark(status));
      Thread.sleep(5);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    drain.join();
    checkExit(command, process.exitValue(), output.toString());
    return new MeasuredRun(command, seconds, peak, output.toString());
  }

  private static long readHighWaterMark(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The process ended between the liveness check and the read.
    }
    return -1;
  }

  private static void checkExit(List<String> command, int exit, String output) {
    if (exit != 0) {
      throw new IoFailureException(
          String.format(
              Locale.ROOT,
              "%s exited with %d: %s",
              String.join(" ", command),
              exit,
              output.strip()));
    }
  }
}
