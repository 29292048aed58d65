package org.sentryml.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.clisupport.ExitCode;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.clisupport.VerifyMethods;
import org.sentryml.clisupport.VerifySkipCommand;
import org.sentryml.clisupport.VerifyingHost;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.model.FileRangeVerification;
import org.sentryml.core.model.LeafSidecar;
import org.sentryml.core.model.Models;
import org.sentryml.core.model.PartialVerification;
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

  @Option(
      names = "--only",
      arity = "1",
      paramLabel = "PATH",
      description =
          "Check the signature and the whole signed manifest, then hash only these files or"
              + " resources (file#tensor in the inplace workflow; repeat for more); the rest are not checked.")
  List<String> only;

  @Option(
      names = "--range",
      paramLabel = "FILE:START:END",
      description =
          "Verify only bytes [START, END) of FILE, hashing just the leaves that cover them (needs the"
              + " leaf sidecar written by sign --leaves).")
  List<String> ranges;

  @Option(
      names = "--leaves",
      paramLabel = "FILE",
      description = "Leaf sidecar for --range (default: SIGNATURE.leaves).")
  Path leaves;

  /** Runs verification with the chosen method's verifier; called by the METHOD subcommands. */
  @Override
  public int verify(StatementVerifier verifier) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path signatureFile = model.signatureToVerify();
    if (only != null && ranges != null) {
      throw new UsageException(
          "--only and --range are two kinds of partial verification; choose one");
    }
    if (leaves != null && ranges == null) {
      throw new UsageException("--leaves is for --range");
    }
    if (ranges != null) {
      return verifyRanges(verifier, signatureFile, out);
    }
    if (only != null) {
      return verifyOnly(verifier, signatureFile, out, err);
    }
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

  private int verifyOnly(
      StatementVerifier verifier, Path signatureFile, PrintWriter out, PrintWriter err) {
    PartialVerification result;
    try (OnDemandEngine engine = new OnDemandEngine(engineOptions::createQuietly)) {
      result =
          Models.verifyOnly(
              model.model,
              signatureFile,
              verifier,
              model.selection.ignorePaths(model.model),
              model.selection.allowSymlinks,
              only,
              engine);
    }
    int code = result.ok() ? 0 : ExitCode.VERIFICATION_FAILED.code();
    if (json) {
      JsonObject report = JsonOutput.diff(result.diff());
      report.addProperty("ok", result.ok());
      report.addProperty("exit_code", code);
      report.addProperty("model", model.model.toString());
      report.addProperty("signature", signatureFile.toString());
      report.addProperty("resources", result.expected().resources().size());
      JsonArray checked = new JsonArray();
      result.checked().forEach(checked::add);
      report.add("checked", checked);
      report.addProperty("not_checked", result.notChecked());
      report.addProperty("algorithm", result.expected().serialization().resourceAlgorithm());
      report.addProperty("root", "sha256:" + result.expected().root().hex());
      report.addProperty("verifier", verifier.describe());
      JsonOutput.print(out, report);
      return code;
    }
    if (!result.ok()) {
      result.diff().describe().forEach(line -> TerminalText.println(err, line));
      TerminalText.printf(
          err,
          "verification failed: %d of the %d selected resources of %s do not match %s%n",
          result.diff().missing().size()
              + result.diff().extra().size()
              + result.diff().changed().size(),
          result.checked().size(),
          model.model,
          signatureFile);
      err.flush();
      return code;
    }
    result.checked().forEach(name -> TerminalText.printf(out, "checked: %s%n", name));
    TerminalText.printf(
        out,
        "verified %s partially: %d selected resources match (%s, root sha256:%s); the other %d"
            + " signed resources were not checked; %s%n",
        model.model,
        result.checked().size(),
        result.expected().serialization().resourceAlgorithm(),
        result.expected().root().hex(),
        result.notChecked(),
        verifier.describe());
    out.flush();
    return 0;
  }

  private int verifyRanges(StatementVerifier verifier, Path signatureFile, PrintWriter out) {
    Path sidecar = leaves != null ? leaves : LeafSidecar.besides(signatureFile);
    JsonArray checked = new JsonArray();
    for (String text : ranges) {
      FileRange range = FileRange.parse(text);
      FileRangeVerification result =
          Models.verifyRange(
              model.model,
              signatureFile,
              verifier,
              sidecar,
              model.selection.ignorePaths(model.model),
              model.selection.allowSymlinks,
              range.file(),
              range.start(),
              range.end());
      long leavesHashed = result.checks().stream().mapToLong(c -> c.leaves()).sum();
      if (json) {
        JsonObject one = new JsonObject();
        one.addProperty("file", result.file());
        one.addProperty("start", result.start());
        one.addProperty("end", result.end());
        one.addProperty("leaves_hashed", leavesHashed);
        one.addProperty("bytes_read", result.bytesRead());
        checked.add(one);
      } else {
        TerminalText.printf(
            out,
            "verified bytes [%d, %d) of %s: %d leaves hashed, %d bytes read%n",
            result.start(),
            result.end(),
            result.file(),
            leavesHashed,
            result.bytesRead());
      }
    }
    if (json) {
      JsonObject report = new JsonObject();
      report.addProperty("ok", true);
      report.addProperty("exit_code", 0);
      report.addProperty("model", model.model.toString());
      report.addProperty("signature", signatureFile.toString());
      report.addProperty("leaves", sidecar.toString());
      report.add("ranges", checked);
      report.addProperty("verifier", verifier.describe());
      JsonOutput.print(out, report);
      return 0;
    }
    TerminalText.printf(
        out,
        "the rest of %s was not checked; leaves from %s, checked against the signature; %s%n",
        model.model,
        sidecar,
        verifier.describe());
    out.flush();
    return 0;
  }
}
