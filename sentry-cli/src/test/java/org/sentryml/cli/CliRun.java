package org.sentryml.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code sentry} command with captured output. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SentryCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }
}
