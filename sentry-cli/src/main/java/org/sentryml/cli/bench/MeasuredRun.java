package org.sentryml.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sentryml.core.errors.IoFailureException;

/**
 * Runs a whole process and measures its wall time, user and system CPU time and peak resident set
 * size. Uses GNU time when it is installed (exact, from the kernel's rusage of the process and its
 * children); otherwise polls the process's {@code VmHWM} and its {@code /proc} CPU times, which can
 * miss its last milliseconds.
 *
 * @param userSeconds CPU time in user mode, or NaN when it could not be measured
 * @param sysSeconds CPU time in the kernel, or NaN when it could not be measured
 * @param peakRssKib peak RSS in KiB, or -1 when it could not be measured
 */
public record MeasuredRun(
    List<String> command,
    double seconds,
    double userSeconds,
    double sysSeconds,
    long peakRssKib,
    String output) {
  private static final Path GNU_TIME = Path.of("/usr/bin/time");

  /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on every Linux ABI). */
  private static final double USER_HZ = 100.0;

  public static MeasuredRun of(List<String> command) {
    return of(command, Map.of());
  }

  /** As {@link #of(List)}, with {@code environment} added to this process's. */
  public static MeasuredRun of(List<String> command, Map<String, String> environment) {
    try {
      return Files.isExecutable(GNU_TIME)
          ? withGnuTime(command, environment)
          : withPolling(command, environment);
    } catch (IOException e) {
      throw new IoFailureException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IoFailureException("interrupted while running " + command.get(0), e);
    }
  }

  private static MeasuredRun withGnuTime(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path report = Files.createTempFile("sentry-bench-", ".time");
    try {
      List<String> timed =
          new ArrayList<>(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", report.toString()));
      timed.addAll(command);
      long start = System.nanoTime();
      ProcessBuilder builder = new ProcessBuilder(timed).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      double seconds = (System.nanoTime() - start) / 1e9;
      checkExit(command, exit, output);
      String text = Files.readString(report).trim();
      String[] fields = text.substring(text.lastIndexOf('\n') + 1).trim().split(" ", -1);
      return new MeasuredRun(
          command,
          seconds,
          Double.parseDouble(fields[1]),
          Double.parseDouble(fields[2]),
          Long.parseLong(fields[0]),
          output);
    } finally {
      Files.deleteIfExists(report);
    }
  }

  private static MeasuredRun withPolling(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long peak = -1;
    double[] cpu = {Double.NaN, Double.NaN};
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
      readCpuTimes(stat, cpu);
      Thread.sleep(5);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    drain.join();
    checkExit(command, process.exitValue(), output.toString());
    return new MeasuredRun(command, seconds, cpu[0], cpu[1], peak, output.toString());
  }

  /** utime and stime (fields 14 and 15, after the parenthesised command name) in seconds. */
  private static void readCpuTimes(Path stat, double[] cpu) {
    try {
      String line = Files.readString(stat);
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ", -1);
      cpu[0] = Long.parseLong(fields[11]) / USER_HZ;
      cpu[1] = Long.parseLong(fields[12]) / USER_HZ;
    } catch (IOException | RuntimeException e) {
      // The process ended between the liveness check and the read; keep the last reading.
    }
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
