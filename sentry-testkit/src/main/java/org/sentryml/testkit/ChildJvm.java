package org.sentryml.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A main class run in a JVM of its own, as crash tests need: the test can kill it (SIGKILL) when it
 * prints a given line on standard error, or a while after it prints another, and gets back its exit
 * status, both outputs and whether it was killed. A child that outlives the timeout is killed too.
 */
public final class ChildJvm {
  /** How the child ended: {@code killed} when this fixture (or anyone) killed it with SIGKILL. */
  public record Result(int exit, String out, String err, boolean killed) {
    /** Standard output, then standard error. */
    public String all() {
      return out + err;
    }
  }

  private final List<String> command = new ArrayList<>();
  private final Map<String, String> environment = new HashMap<>();
  private String killAt;
  private String killAfter;
  private long killAfterMillis;

  private ChildJvm(String classPath, List<String> jvmOptions, String mainClass, List<String> args) {
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classPath);
    command.addAll(jvmOptions);
    command.add(mainClass);
    command.addAll(args);
  }

  /** {@code java -cp CLASSPATH JVM-OPTIONS MAIN ARGS}, with this JVM's own java. */
  public static ChildJvm of(
      String classPath, List<String> jvmOptions, String mainClass, List<String> args) {
    return new ChildJvm(classPath, jvmOptions, mainClass, args);
  }

  /** Sets {@code name} in the child's environment. */
  public ChildJvm environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Kills the child as soon as it prints a line starting with {@code prefix} on standard error. */
  public ChildJvm killAtLine(String prefix) {
    killAt = prefix;
    return this;
  }

  /**
   * Kills the child {@code millis} after it first prints a line starting with {@code prefix} on
   * standard error, wherever it is then.
   */
  public ChildJvm killAfterLine(String prefix, long millis) {
    killAfter = prefix;
    killAfterMillis = millis;
    return this;
  }

  /**
   * Runs the child to its end.
   *
   * @throws AssertionError when it is still running after {@code timeoutSeconds} (it is killed)
   */
  public Result run(long timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<Void> unusedTimeout =
        CompletableFuture.runAsync(
            () -> {
              if (process.isAlive()) {
                timedOut.set(true);
                process.destroyForcibly();
              }
            },
            CompletableFuture.delayedExecutor(timeoutSeconds, TimeUnit.SECONDS));
    StringBuilder err = new StringBuilder();
    boolean killed = false;
    boolean delayedKillArmed = false;
    // Killing the process closes its streams (the JDK does), so reading stops there.
    try (BufferedReader lines = process.errorReader(StandardCharsets.UTF_8)) {
      String line;
      while (!killed && (line = lines.readLine()) != null) {
        err.append(line).append('\n');
        if (killAt != null && line.startsWith(killAt)) {
          process.destroyForcibly();
          killed = true;
        }
        if (killAfter != null && !delayedKillArmed && line.startsWith(killAfter)) {
          delayedKillArmed = true;
          CompletableFuture<Void> unusedDelayedKill =
              CompletableFuture.runAsync(
                  process::destroyForcibly,
                  CompletableFuture.delayedExecutor(killAfterMillis, TimeUnit.MILLISECONDS));
        }
      }
    } catch (IOException closedByTheKill) {
      err.append("(stream closed by the kill)\n");
    }
    int exit = process.waitFor();
    if (timedOut.get()) {
      throw new AssertionError(
          "the child did not end within " + timeoutSeconds + " s: " + command + "\n" + err);
    }
    return new Result(exit, out.join(), err.toString(), killed || exit == 137);
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
