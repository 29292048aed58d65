package org.sentryml.clisupport;

import java.util.concurrent.Callable;
import org.sentryml.core.signing.Unsigned;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code sentry sign MODEL skip}: write the unsigned manifest (hash only). */
@Command(
    name = "skip",
    mixinStandardHelpOptions = true,
    description = "Write an unsigned manifest (no signature).")
public final class SignSkipCommand implements Callable<Integer> {
  @ParentCommand SigningHost sign;

  @Override
  public Integer call() {
    return sign.sign(new Unsigned(), "no signature (skip)");
  }
}
