package org.sentryml.agent.keycache;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.clisupport.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-keycache}: the compute host's key cache. {@code serve} attests to a key server,
 * holds the host's keys in memory and hands them to local agents over a Unix socket; {@code
 * measure} prints the sample measurement a policy must name for this host.
 */
@Command(
    name = "sentry-keycache",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description =
        "Attest to a key server once, hold the host's data keys in memory, and hand them to local agents over a peer-checked Unix socket.",
    subcommands = {KeyCacheServeCommand.class, MeasureCommand.class, CommandLine.HelpCommand.class})
public final class KeyCacheAgent implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, CliSupport.stdout(), CliSupport.stderr()));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return CliSupport.commandLine(new KeyCacheAgent(), out, err).execute(args);
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: serve or measure");
  }
}
