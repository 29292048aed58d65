package org.sentryml.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sentry keys init|create|list|rotate}: the local key store of data keys. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description =
        "Manage a key store: one data key per artifact version, encrypted under a master key.",
    subcommands = {
      KeysInitCommand.class,
      KeysCreateCommand.class,
      KeysListCommand.class,
      KeysRotateCommand.class
    })
public final class KeysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: init, create, list or rotate");
  }
}
