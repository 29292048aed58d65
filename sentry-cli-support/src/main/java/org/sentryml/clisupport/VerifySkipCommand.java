package org.sentryml.clisupport;

import java.util.concurrent.Callable;
import org.sentryml.core.signing.Unsigned;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code sentry verify MODEL skip}: check digests against an unsigned manifest. */
@Command(
    name = "skip",
    mixinStandardHelpOptions = true,
    description = "Check digests only, against an unsigned manifest.")
public final class VerifySkipCommand implements Callable<Integer> {
  @ParentCommand VerifyingHost verify;

  @Override
  public Integer call() {
    return verify.verify(new Unsigned());
  }
}
