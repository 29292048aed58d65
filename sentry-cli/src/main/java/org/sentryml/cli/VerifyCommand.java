package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.clisupport.ExitCode;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.clisupport.VerifyMethods;
import org.sentryml.clisupport.VerifySkipCommand;
import org.sentryml.clisupport.VerifyingHost;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.model.Models;
import org.sentryml.core.model.Verification;
import org.sentryml.core.signing.StatementVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry verify MODEL [options] METHOD [method options]}. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Verify a model folder or file against its signature (default model.sig).",
    subcommands = {
      VerifyMethods.PublicKeyMethod.class,
      VerifyMethods.PkiMethod.class,
      VerifyMethods.SigstoreMethod.class,
      VerifySkipCommand.class
    })
public final class VerifyCommand implements VerifyingHost {
  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Mixin EngineOptions engineOptions;

  @Option(names = "--json", description = "Print the result as one JSON object (also on failure).")
  boolean json;

  /** Runs verification with the chosen method's verifier; called by the METHOD subcommands. */
  @Override
  public int verify(StatementVerifier verifier) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path signatureFile = model.signatureToVerify();
    Verification result;
    try (OnDemandEngine engine = new OnDemandEngine(engineOptions::createQuietly)) {
      result =
          Models.verify(
              model.model,
              signatureFile,
              verifier,
              model.selection.ignorePaths(model.model),
              model.selection.allowSymlinks,
              engine);
    }
    if (json) {
      JsonObject report = JsonOutput.diff(result.diff());
      report.addProperty("ok", result.ok());
      report.addProperty("exit_code", result.ok() ? 0 : ExitCode.VERIFICATION_FAILED.code());
      report.addProperty("model", model.model.toString());
      report.addProperty("signature", signatureFile.toString());
      report.addProperty("resources", result.expected().resources().size());
      report.addProperty("algorithm", result.expected().serialization().resourceAlgorithm());
      report.addProperty("root", "sha256:" + result.expected().root().hex());
      report.addProperty("verifier", verifier.describe());
      JsonOutput.print(out, report);
      return result.ok() ? 0 : ExitCode.VERIFICATION_FAILED.code();
    }
    if (!result.ok()) {
      result.diff().describe().forEach(line -> TerminalText.println(err, line));
      TerminalText.printf(
          err,
          "verification failed: %s does not match %s (%d missing, %d extra, %d changed)%n",
          model.model,
          signatureFile,
          result.diff().missing().size(),
          result.diff().extra().size(),
          result.diff().changed().size());
      err.flush();
      return ExitCode.VERIFICATION_FAILED.code();
    }
    TerminalText.printf(
        out,
        "verified %s: %d resources match (%s, root sha256:%s); %s%n",
        model.model,
        result.expected().resources().size(),
        result.expected().serialization().resourceAlgorithm(),
        result.expected().root().hex(),
        verifier.describe());
    out.flush();
    return 0;
  }
}
