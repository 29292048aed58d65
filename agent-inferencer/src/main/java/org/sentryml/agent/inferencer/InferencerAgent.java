package org.sentryml.agent.inferencer;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.clisupport.ExitCode;
import org.sentryml.clisupport.KeyBrokerOptions;
import org.sentryml.clisupport.KeyStoreOption;
import org.sentryml.clisupport.TerminalProgress;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.clisupport.VerifyMethods;
import org.sentryml.clisupport.VerifySkipCommand;
import org.sentryml.clisupport.VerifyingHost;
import org.sentryml.clisupport.VersionInfo;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.signing.StatementVerifier;
import org.sentryml.data.dataset.DatasetLocator;
import org.sentryml.training.pipeline.InferencePipeline;
import org.sentryml.training.pipeline.InferenceReport;
import org.sentryml.training.pipeline.SignatureFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-inferencer --sig_path DIR [options] METHOD [method options]}: verifies the model as
 * it loads it, runs inference while re-hashing the dataset stream, verifies every signature and
 * refuses (exit 1, naming what differs) when anything does not match. A thin adapter over {@link
 * InferencePipeline}; METHOD is one of the verification methods of {@code sentry verify}.
 */
@Command(
    name = "sentry-inferencer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description =
        "Verify the model as it is loaded, run inference while re-hashing the dataset stream, and check every dataset signature and the provenance.",
    footer = "To serve the model over HTTPS instead: sentry-inferencer serve --help",
    subcommands = {
      VerifyMethods.PublicKeyMethod.class,
      VerifyMethods.PkiMethod.class,
      VerifyMethods.SigstoreMethod.class,
      VerifySkipCommand.class
    })
public final class InferencerAgent implements VerifyingHost {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"--sig_path", "--sig-path"},
      required = true,
      paramLabel = "DIR",
      description = "Folder holding model.sig, dataset_<source>.sig and provenance.sig.")
  Path sigPath;

  @Option(
      names = {"--model_path", "--model-path"},
      paramLabel = "DIR",
      defaultValue = "./models",
      description = "The model folder (default: ${DEFAULT-VALUE}).")
  Path modelPath;

  @Option(
      names = "--dataset",
      paramLabel = "DIR",
      description = "Prepared dataset (default: the one dataset under ./dataset).")
  Path dataset;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "256",
      description = "Inference batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      arity = "0..1",
      fallbackValue = "-",
      description = "Write the report as JSON to FILE (or to standard output without FILE).")
  String json;

  @Mixin KeyStoreOption keyStore;

  @Mixin KeyBrokerOptions keyBroker;

  @Mixin EngineOptions engineOptions;

  public static void main(String[] args) {
    CliSupport.quietLibraryLogging();
    System.exit(run(args, CliSupport.stdout(), CliSupport.stderr()));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // The shared handlers print the one-line error and, under --json, the failure as JSON too.
    if (args.length > 0 && ServeCommand.NAME.equals(args[0])) {
      return CliSupport.commandLine(new ServeCommand(), out, err)
          .execute(Arrays.copyOfRange(args, 1, args.length));
    }
    return CliSupport.commandLine(new InferencerAgent(), out, err).execute(args);
  }

  @Override
  public int verify(StatementVerifier verifier) {
    if (batch < 1) {
      throw new UsageException("--batch must be at least 1, not " + batch);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path datasetDir = DatasetLocator.locate(dataset, Path.of("dataset"));
    boolean jsonToStdout = "-".equals(json);
    InferenceReport report;
    try (OnDemandEngine engine = new OnDemandEngine(engineOptions::createQuietly)) {
      report =
          InferencePipeline.run(
              new InferencePipeline.Request(
                  modelPath,
                  datasetDir,
                  new SignatureFolder(sigPath),
                  batch,
                  keyBroker.dataKeys(keyStore).orElse(null)),
              verifier,
              engine,
              TerminalProgress.forTerminal(engineOptions.quiet() || jsonToStdout),
              line -> {
                if (!engineOptions.quiet() && !jsonToStdout) {
                  TerminalText.println(err, line);
                  err.flush();
                }
              });
    }
    String failure = report.ok() ? null : failureSummary(report);
    if (json != null) {
      writeJson(report.toJson(exitCode(report), failure), out);
    }
    if (!jsonToStdout) {
      PrintWriter target = report.ok() ? out : err;
      report.lines().forEach(line -> TerminalText.println(target, line));
      if (report.ok()) {
        TerminalText.printf(
            out,
            "verified %s, %d data sources and the provenance (%s)%n",
            modelPath,
            report.sources().size(),
            report.verifier());
      } else {
        TerminalText.printf(err, "verification failed: %s%n", failure);
      }
    }
    out.flush();
    err.flush();
    return exitCode(report);
  }

  private void writeJson(String text, PrintWriter out) {
    if ("-".equals(json)) {
      out.print(text);
      out.flush();
    } else {
      AtomicFile.write(Path.of(json), text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static int exitCode(InferenceReport report) {
    return report.ok() ? ExitCode.OK.code() : ExitCode.VERIFICATION_FAILED.code();
  }

  private String failureSummary(InferenceReport report) {
    if (!report.modelProblems().isEmpty()) {
      return modelPath
          + " does not match "
          + sigPath.resolve(SignatureFolder.MODEL)
          + "; no inference was run";
    }
    if (!report.provenanceProblems().isEmpty()) {
      return sigPath.resolve(SignatureFolder.PROVENANCE)
          + " does not bind this model to these data sources; no inference was run";
    }
    return "the data streamed differs from its signatures in "
        + String.join(
            ", ", report.datasetMismatches().stream().map(m -> m.source()).distinct().toList());
  }
}
