package org.sentryml.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.sentryml.clisupport.ExitCode;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.clisupport.VerifyMethods;
import org.sentryml.clisupport.VerifySkipCommand;
import org.sentryml.clisupport.VerifyingHost;
import org.sentryml.core.signing.StatementVerifier;
import org.sentryml.data.dataset.DatasetCheck;
import org.sentryml.training.pipeline.SignatureFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sentry-spark verify --dataset DIR --sig_path DIR METHOD [method options]}. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Recompute every source's lattice digests of a prepared dataset on Spark and check them against dataset_<source>.sig.",
    subcommands = {
      VerifyMethods.PublicKeyMethod.class,
      VerifyMethods.PkiMethod.class,
      VerifyMethods.SigstoreMethod.class,
      VerifySkipCommand.class
    })
final class VerifyCommand implements VerifyingHost {
  @Spec CommandLine.Model.CommandSpec spec;
  @ParentCommand SparkCli cli;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description = "The prepared dataset, on a file system every executor sees.")
  Path dataset;

  @Option(
      names = {"--sig_path", "--sig-path"},
      required = true,
      paramLabel = "DIR",
      description = "Folder holding dataset_<source>.sig.")
  Path sigPath;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Override
  public int verify(StatementVerifier verifier) {
    var spark = cli.session();
    SparkVerify.Report report =
        SparkVerify.run(
            spark, dataset, new SignatureFolder(sigPath), verifier, SparkCli.executorEngine(spark));
    int code = report.ok() ? ExitCode.OK.code() : ExitCode.VERIFICATION_FAILED.code();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", report.ok());
      result.addProperty("exit_code", code);
      result.addProperty("dataset", dataset.toString());
      result.addProperty("verifier", report.verifier());
      JsonArray mismatched = new JsonArray();
      report.mismatches().stream()
          .map(DatasetCheck.Mismatch::source)
          .distinct()
          .forEach(mismatched::add);
      result.add("mismatched_sources", mismatched);
      JsonArray lines = new JsonArray();
      report.lines().forEach(lines::add);
      result.add("lines", lines);
      JsonOutput.print(out, result);
      return code;
    }
    PrintWriter target = report.ok() ? out : err;
    report.lines().forEach(line -> TerminalText.println(target, line));
    if (report.ok()) {
      TerminalText.printf(
          out,
          "verified %d data sources of %s on Spark (%s)%n",
          report.sources().size(),
          dataset,
          report.verifier());
    } else {
      TerminalText.printf(err, "verification failed: %s%n", report.failure());
    }
    out.flush();
    err.flush();
    return code;
  }
}
