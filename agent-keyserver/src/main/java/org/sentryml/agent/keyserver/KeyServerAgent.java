package org.sentryml.agent.keyserver;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.clisupport.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-keyserver}: the model owner's key server. {@code serve} releases data keys over the
 * KBS protocol to attested hosts, {@code audit verify} checks the audit log's chain, {@code certs}
 * makes a local CA with server and client certificates (for trying it out), {@code bench} measures
 * it under load.
 */
@Command(
    name = "sentry-keyserver",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description =
        "Release data keys to attested hosts over mutual TLS (the Trustee KBS protocol v0.4.0), by policy, with a hash-chained audit log.",
    subcommands = {
      ServeCommand.class,
      AuditCommand.class,
      CertsCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KeyServerAgent implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, CliSupport.stdout(), CliSupport.stderr()));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return CliSupport.commandLine(new KeyServerAgent(), out, err).execute(args);
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: serve, audit, certs or bench");
  }
}
