package org.sentryml.clisupport;

import java.io.Console;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sentryml.core.io.TaskProgress;

/**
 * Draws progress bars on standard error when it is a terminal; elsewhere (pipes, CI logs, tests)
 * and with {@code --quiet} it draws nothing. Not thread-safe: one task at a time.
 */
public final class TerminalProgress implements TaskProgress {
  private final PrintStream stream;
  private ProgressBar bar;

  private TerminalProgress(PrintStream stream) {
    this.stream = stream;
  }

  /** Bars on the terminal, or {@link TaskProgress#NONE} when there is none or {@code quiet}. */
  public static TaskProgress forTerminal(boolean quiet) {
    return quiet || !interactive() ? TaskProgress.NONE : new TerminalProgress(System.err);
  }

  /**
   * Whether the program runs on a terminal. From JDK 22 on, {@code System.console()} answers even
   * when the streams are redirected, and {@code Console.isTerminal()} (JDK 22) tells the two apart;
   * the code targets release 21, so that method is looked up by name where it exists.
   */
  @SuppressWarnings("SystemConsoleNull") // the null check is the answer of JDK 21, the target
  private static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void start(String task, long total, String unit) {
    finish();
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .setMaxRenderedLength(100)
            .setConsumer(new ConsoleProgressBarConsumer(stream))
            .setSpeedUnit(ChronoUnit.SECONDS)
            .showSpeed();
    if ("bytes".equals(unit)) {
      builder.setUnit(" MiB", 1 << 20);
    } else {
      builder.setUnit(" " + unit, 1);
    }
    bar = builder.build();
  }

  @Override
  public void advance(long units) {
    if (bar != null) {
      bar.stepBy(units);
    }
  }

  @Override
  public void finish() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
