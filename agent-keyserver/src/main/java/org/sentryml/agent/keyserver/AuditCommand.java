package org.sentryml.agent.keyserver;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sentry-keyserver audit verify FILE}. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Check the key server's audit log.",
    subcommands = {AuditVerifyCommand.class, CommandLine.HelpCommand.class})
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify");
  }
}
