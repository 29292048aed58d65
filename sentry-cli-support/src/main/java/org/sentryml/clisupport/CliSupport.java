package org.sentryml.clisupport;

import com.google.gson.JsonObject;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.io.AtomicFile;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Shared picocli wiring: writers, exit codes and one-line error messages for every command. Every
 * failure goes through one place, which names the program (not the METHOD subcommand that ran),
 * escapes the message for the terminal, adds the stack trace when {@code --debug} was given, and —
 * when {@code --json} was asked for — also writes the failure as JSON, so that a script reading
 * JSON gets an answer on every exit path.
 */
public final class CliSupport {
  private CliSupport() {}

  /** The one {@code --debug} of every program, inherited by its subcommands (the METHODs). */
  static final String DEBUG = "--debug";

  public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(command);
    cmd.getCommandSpec()
        .addOption(
            CommandLine.Model.OptionSpec.builder(DEBUG)
                .description("Print the stack trace of a failure.")
                .scopeType(CommandLine.ScopeType.INHERIT)
                .build());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExitCodeExceptionMapper(CliSupport::exitCodeOf);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          int code = exitCodeOf(e);
          report(commandLine, messageOf(e), code, jsonTarget(parseResult));
          if (hasOption(parseResult, DEBUG)) {
            e.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return code;
        });
    cmd.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          report(failed, e.getMessage(), ExitCode.USAGE.code(), jsonTarget(failed, args));
          TerminalText.println(
              failed.getErr(), "Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          failed.getErr().flush();
          return ExitCode.USAGE.code();
        });
    return cmd;
  }

  /** Standard output as a writer in the charset the terminal shows (autoflushing). */
  public static PrintWriter stdout() {
    return new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
  }

  /** Standard error as a writer in the charset the terminal shows (autoflushing). */
  public static PrintWriter stderr() {
    return new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
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

  /**
   * Writes a failure as one JSON object, {@code {"ok": false, "exit_code": N, "error": "..."}}, to
   * standard output or to the file the {@code --json FILE} option named.
   */
  public static void writeJsonFailure(
      PrintWriter out, String jsonTarget, String message, int code) {
    JsonObject failure = new JsonObject();
    failure.addProperty("ok", false);
    failure.addProperty("exit_code", code);
    failure.addProperty("error", message);
    if (jsonTarget.equals(STDOUT)) {
      JsonOutput.print(out, failure);
    } else {
      AtomicFile.write(
          Path.of(jsonTarget),
          (JsonOutput.toJson(failure) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The value {@code --json} stands for when given without a file: standard output. */
  public static final String STDOUT = "-";

  private static void report(CommandLine failed, String message, int code, String jsonTarget) {
    TerminalText.println(failed.getErr(), programName(failed) + ": " + message);
    if (jsonTarget != null) {
      try {
        writeJsonFailure(failed.getOut(), jsonTarget, message, code);
      } catch (SentryException e) {
        TerminalText.println(failed.getErr(), programName(failed) + ": " + e.getMessage());
      }
    }
  }

  /** The program a message speaks for: the outermost command, not the METHOD that failed in it. */
  private static String programName(CommandLine commandLine) {
    CommandLine root = commandLine;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return root.getCommandName();
  }

  private static boolean hasOption(ParseResult parseResult, String name) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption(name)) {
        return true;
      }
    }
    return false;
  }

  /** Where {@code --json} sends output ({@link #STDOUT} or a file), or null without the option. */
  private static String jsonTarget(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--json")) {
        Object value = level.matchedOption("--json").getValue();
        return value instanceof String file && !file.isEmpty() ? file : STDOUT;
      }
    }
    return null;
  }

  /**
   * As {@link #jsonTarget(ParseResult)}, from raw arguments that did not parse: {@code
   * --json=FILE}, or {@code --json FILE} where the command's {@code --json} takes a value, else
   * standard output.
   */
  private static String jsonTarget(CommandLine failed, String[] args) {
    boolean takesValue = false;
    for (CommandLine level = failed; level != null; level = level.getParent()) {
      CommandLine.Model.OptionSpec option = level.getCommandSpec().findOption("--json");
      if (option != null) {
        takesValue = option.arity().max() > 0;
        break;
      }
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--json=")) {
        return args[i].substring("--json=".length());
      }
      if (args[i].equals("--json")) {
        boolean fileFollows = takesValue && i + 1 < args.length && !args[i + 1].startsWith("-");
        return fileFollows ? args[i + 1] : STDOUT;
      }
    }
    return null;
  }

  static int exitCodeOf(Throwable e) {
    return ExitCode.of(e).code();
  }

  private static String messageOf(Throwable e) {
    if (e instanceof SentryException) {
      return e.getMessage();
    }
    // A bug, not bad input: still one line, naming the failure kind, and saying so.
    String message = e.getMessage();
    return "internal error, a bug in Sentry ("
        + e.getClass().getSimpleName()
        + ")"
        + (message == null ? "" : ": " + message)
        + "; rerun with --debug for the stack trace and report it";
  }
}
