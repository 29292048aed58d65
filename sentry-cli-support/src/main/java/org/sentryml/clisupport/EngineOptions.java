package org.sentryml.clisupport;

import java.io.PrintWriter;
import org.sentryml.core.engine.Engines;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.ProgressReportingEngine;
import picocli.CommandLine.Option;

/** {@code --threads} and {@code --device}: where hashing runs, for every command that hashes. */
public final class EngineOptions {
  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "CPU threads, at most four per core; 0 = one per core (default).")
  int threads;

  @Option(
      names = "--device",
      paramLabel = "D",
      defaultValue = "auto",
      description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bars, and no note of the engine chosen.")
  boolean quiet;

  /**
   * Creates the engine; {@code auto} explains its choice through {@code notes} unless {@code -q}.
   */
  public HashEngine create(PrintWriter notes) {
    return withProgress(
        Engines.create(
            Engines.Device.parse(device),
            threads,
            line -> {
              if (!quiet) {
                TerminalText.println(notes, line);
              }
            }));
  }

  /** Creates the engine without saying why it chose it. */
  public HashEngine createQuietly() {
    return withProgress(Engines.create(Engines.Device.parse(device), threads, line -> {}));
  }

  /** Whether the user asked for silence (no progress bars). */
  public boolean quiet() {
    return quiet;
  }

  private HashEngine withProgress(HashEngine engine) {
    return ProgressReportingEngine.wrap(engine, TerminalProgress.forTerminal(quiet));
  }
}
