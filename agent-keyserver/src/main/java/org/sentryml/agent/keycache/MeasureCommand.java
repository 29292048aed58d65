package org.sentryml.agent.keycache;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.tee.SampleAttester;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sentry-keycache measure [--config FILE]...}: the sample measurement, for the policy. */
@Command(
    name = "measure",
    mixinStandardHelpOptions = true,
    description =
        "Print the sample measurement of this key cache (its jars and --config files): the policy's reference value for 'software'.")
final class MeasureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin EvidenceOptions evidence;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TerminalText.println(out, evidence.sample().measurement().hex());
    out.flush();
    TerminalText.println(spec.commandLine().getErr(), "sentry-keycache: " + SampleAttester.WARNING);
    return 0;
  }
}
