package org.sentryml.agent.trainer;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.clisupport.TerminalProgress;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.attestation.ProvenanceCodec;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.io.FileTrees;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;
import org.sentryml.core.signing.PublicKeyPem;
import org.sentryml.core.signing.PublicKeyVerifier;
import org.sentryml.core.signing.Unsigned;
import org.sentryml.data.dataset.DatasetLocator;
import org.sentryml.training.checkpoint.CheckpointKeys;
import org.sentryml.training.ml.TrainingConfig;
import org.sentryml.training.pipeline.CheckpointOptions;
import org.sentryml.training.pipeline.SignatureFolder;
import org.sentryml.training.pipeline.TrainingPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-trainer --reproduce provenance.sig [--dataset DIR] [--key public.pem]}: trains
 * again with every parameter the provenance records (seed, epochs, batch size, learning rate,
 * thread count) on the dataset, into a temporary folder, and says whether the model root and the
 * dataset roots equal those the provenance names (exit 0) or not (exit 1).
 */
@Command(
    name = "sentry-trainer --reproduce",
    mixinStandardHelpOptions = true,
    description =
        "Re-train from the parameters a provenance.sig records and compare the model root.")
final class ReproduceCommand implements Callable<Integer> {
  static final String OPTION = "--reproduce";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PROVENANCE", description = "provenance.sig to reproduce.")
  Path provenanceFile;

  @Option(
      names = "--dataset",
      paramLabel = "DIR",
      description = "The prepared dataset (default: the one dataset under ./dataset).")
  Path dataset;

  @Option(
      names = "--key",
      paramLabel = "PEM",
      description =
          "Public key to check the provenance's signature with; without it the statement is read"
              + " unchecked, and the output says so.")
  Path key;

  @Option(
      names = "--tokenizer",
      paramLabel = "JSON",
      description = "tokenizer.json for a text dataset (default: the dataset's own).")
  Path tokenizer;

  @Mixin EngineOptions engineOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    byte[] file = BoundedFiles.read(provenanceFile, BoundedFiles.MAX_BUNDLE_BYTES, "provenance");
    byte[] statement =
        key != null
            ? new PublicKeyVerifier(PublicKeyPem.read(key)).verify(file)
            : unverifiedStatement(file);
    ProvenanceCodec.Provenance recorded =
        ProvenanceCodec.decode(statement, provenanceFile.toString());
    JsonFields p = new JsonFields(recorded.parameters(), "parameters", provenanceFile.toString());
    if (!recorded.parameters().has("threads")) {
      throw p.error("threads", "is not recorded; this provenance predates reproducible training");
    }
    TrainingConfig config =
        new TrainingConfig(
            (int) p.int64("epochs"),
            (int) p.int64("batch_size"),
            recorded.parameters().get("learning_rate").getAsFloat(),
            p.int64("seed"));
    int threads = (int) p.int64("threads");
    Path datasetDir = DatasetLocator.locate(dataset, Path.of("dataset"));
    Path work;
    try {
      work = Files.createTempDirectory("sentry-reproduce-");
    } catch (IOException e) {
      throw PathProblems.classifyWrite(Path.of(System.getProperty("java.io.tmpdir")), e);
    }
    try (OnDemandEngine engine = new OnDemandEngine(engineOptions::createQuietly)) {
      TrainingPipeline.Request request =
          new TrainingPipeline.Request(
              datasetDir,
              work.resolve("model"),
              new SignatureFolder(work.resolve("signatures")),
              config,
              recorded.builder(),
              tokenizer);
      TrainingPipeline.Result result =
          TrainingPipeline.run(
              request,
              new CheckpointOptions(threads, null, 0, 1, false, CheckpointKeys.runKey(), null),
              new Unsigned(),
              engine,
              TerminalProgress.forTerminal(engineOptions.quiet()),
              line -> {
                if (!engineOptions.quiet()) {
                  TerminalText.println(err, line);
                  err.flush();
                }
              });
      ProvenanceCodec.Provenance again =
          ProvenanceCodec.decode(
              SignatureFolder.verifiedStatement(request.signatures().provenance(), new Unsigned()),
              "the reproduced provenance");
      boolean modelMatches = result.model().root().matches(recorded.modelRoot());
      boolean dataMatches =
          again.materials().equals(recorded.materials()) || sameRoots(again, recorded);
      String checked = key != null ? "signature checked" : "signature NOT checked (no --key)";
      if (!modelMatches || !dataMatches) {
        throw new VerificationFailedException(
            "not reproduced ("
                + checked
                + "): "
                + (dataMatches ? "" : "the dataset's roots differ from the provenance's; ")
                + "model root sha256:"
                + result.model().root().hex()
                + ", the provenance records sha256:"
                + recorded.modelRoot().hex());
      }
      TerminalText.printf(
          out,
          "reproduced: model root sha256:%s equals the provenance's (%d threads, seed %d; %s)%n",
          result.model().root().hex(),
          threads,
          config.seed(),
          checked);
      out.flush();
      return 0;
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }

  private static boolean sameRoots(ProvenanceCodec.Provenance a, ProvenanceCodec.Provenance b) {
    if (a.materials().size() != b.materials().size()) {
      return false;
    }
    for (int i = 0; i < a.materials().size(); i++) {
      if (!a.materials().get(i).root().matches(b.materials().get(i).root())) {
        return false;
      }
    }
    return true;
  }

  /** The statement of a bundle, its signature unchecked, or the file itself when bare. */
  private static byte[] unverifiedStatement(byte[] file) {
    String text = new String(file, StandardCharsets.UTF_8);
    if (!text.contains("\"dsseEnvelope\"")) {
      return file;
    }
    JsonObject bundle = StrictJson.parseObject(text, "provenance");
    JsonFields envelope = new JsonFields(bundle, "", "provenance").object("dsseEnvelope");
    return envelope.base64("payload");
  }
}
