package org.sentryml.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.SentryException;
import picocli.CommandLine;

/** Shared picocli wiring: writers, exit codes and one-line error messages for every command. */
public final class CliSupport {
  private CliSupport() {}

  public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(command);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExitCodeExceptionMapper(CliSupport::exitCodeOf);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter writer = commandLine.getErr();
          writer.println(commandLine.getCommandName() + ": " + messageOf(e));
          if (Arrays.asList(parseResult.originalArgs()).contains("--debug")) {
            e.printStackTrace(writer);
          }
          writer.flush();
          return exitCodeOf(e);
        });
    cmd.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter writer = e.getCommandLine().getErr();
          writer.println(e.getCommandLine().getCommandName() + ": " + e.getMessage());
          writer.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          writer.flush();
          return ExitCode.USAGE.code();
        });
    return cmd;
  }

  /**
   * Keeps library logging (DJL, through slf4j-simple) to warnings and errors unless the user set a
   * level: DJL reports its engine's start-up at info level, and without a GPU its probe of the CUDA
   * runtime warns on every start, which is not news. Call first thing in an agent's main.
   */
  public static void quietLibraryLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }
  }

  static int exitCodeOf(Throwable e) {
    if (e instanceof SentryException s) {
      return s.exitCode().code();
    }
    if (e instanceof CommandLine.ParameterException) {
      return ExitCode.USAGE.code();
    }
    if (e instanceof OutOfMemoryError) {
      return ExitCode.IO_ERROR.code();
    }
    return ExitCode.BAD_INPUT.code();
  }

  private static String messageOf(Throwable e) {
    if (e instanceof SentryException) {
      return e.getMessage();
    }
    // An unexpected failure: still one line, naming the failure kind.
    String message = e.getMessage();
    return "internal error (" + e.getClass().getSimpleName() + ")"
        + (message == null ? "" : ": " + message)
        + "; rerun with --debug for details";
  }
}
