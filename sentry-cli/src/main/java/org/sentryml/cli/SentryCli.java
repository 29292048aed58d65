package org.sentryml.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.clisupport.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sentry} command: hash, sign, verify, keygen, keys, encrypt, decrypt, attestation,
 * bench.
 */
@Command(
    name = "sentry",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Hash, sign, verify and encrypt machine-learning models and datasets.",
    subcommands = {
      HashCommand.class,
      SignCommand.class,
      VerifyCommand.class,
      KeygenCommand.class,
      KeysCommand.class,
      EncryptCommand.class,
      DecryptCommand.class,
      AttestationCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SentryCli {

  public static void main(String[] args) {
    System.exit(run(args, CliSupport.stdout(), CliSupport.stderr()));
  }

  /** Runs one command line with the given writers; returns the exit code (DESIGN §7). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // Building picocli's model costs start-up time for every subcommand it holds, so a known
    // subcommand is run on its own; help, version and errors get the full model.
    Object alone =
        args.length == 0
            ? null
            : switch (args[0]) {
              case "hash" -> new HashCommand();
              case "bench" -> new BenchCommand();
              case "sign" -> new SignCommand();
              case "verify" -> new VerifyCommand();
              case "keygen" -> new KeygenCommand();
              case "attestation" -> new AttestationCommand();
              case "keys" -> new KeysCommand();
              case "encrypt" -> new EncryptCommand();
              case "decrypt" -> new DecryptCommand();
              default -> null;
            };
    if (alone == null) {
      return CliSupport.commandLine(new SentryCli(), out, err).execute(args);
    }
    CommandLine cmd = CliSupport.commandLine(alone, out, err);
    cmd.setCommandName("sentry " + args[0]);
    return cmd.execute(Arrays.copyOfRange(args, 1, args.length));
  }
}
