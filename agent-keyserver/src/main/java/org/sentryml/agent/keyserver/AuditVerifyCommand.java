package org.sentryml.agent.keyserver;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.broker.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentry-keyserver audit verify FILE [--json]}: exit 0 when the chain holds, 1 if not. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Check that every line of an audit log carries the SHA-256 of the line before it; print the hash of the last line.")
final class AuditVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The audit log (JSON lines).")
  Path file;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    AuditVerifier.Result result = AuditVerifier.verify(file);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject reply = new JsonObject();
      reply.addProperty("ok", true);
      reply.addProperty("exit_code", 0);
      reply.addProperty("file", file.toString());
      reply.addProperty("lines", result.lines());
      reply.addProperty("head", result.head());
      JsonOutput.print(out, reply);
      return 0;
    }
    TerminalText.println(
        out,
        "audit log "
            + file
            + ": "
            + result.lines()
            + " lines, chain intact; the last line's SHA-256 is "
            + result.head()
            + " (compare it with a copy kept elsewhere: nothing after the last line covers it)");
    out.flush();
    return 0;
  }
}
