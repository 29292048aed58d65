package org.sentryml.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sentry attestation verify ...}: TEE attestation evidence. */
@Command(
    name = "attestation",
    mixinStandardHelpOptions = true,
    description = "Verify TEE attestation evidence (Intel TDX and SGX, AMD SEV-SNP, NVIDIA GPUs).",
    subcommands = {AttestationVerifyCommand.class, CommandLine.HelpCommand.class})
public final class AttestationCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Without a subcommand there is nothing to do: a usage error, as for any missing argument. */
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify");
  }
}
