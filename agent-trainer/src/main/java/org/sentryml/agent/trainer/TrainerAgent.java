package org.sentryml.agent.trainer;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.clisupport.KeyBrokerOptions;
import org.sentryml.clisupport.KeyStoreOption;
import org.sentryml.clisupport.SignMethods;
import org.sentryml.clisupport.SignSkipCommand;
import org.sentryml.clisupport.SigningHost;
import org.sentryml.clisupport.TerminalProgress;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.clisupport.VersionInfo;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.model.ModelPlan;
import org.sentryml.core.signing.StatementSigner;
import org.sentryml.data.dataset.DatasetLocator;
import org.sentryml.training.ml.TrainingConfig;
import org.sentryml.training.pipeline.SignatureFolder;
import org.sentryml.training.pipeline.TrainingPipeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-trainer --sig_out DIR [options] METHOD [method options]}: streams and hashes the
 * prepared dataset, trains a model and signs the model, every data source and the provenance. A
 * thin adapter over {@link TrainingPipeline}; METHOD is one of the signing methods of {@code sentry
 * sign}.
 */
@Command(
    name = "sentry-trainer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description =
        "Train a model on a prepared dataset, hashing every sample as it streams, and sign the model, each data source and the provenance.",
    subcommands = {
      SignMethods.PrivateKeyMethod.class,
      SignMethods.PkiMethod.class,
      SignMethods.SigstoreMethod.class,
      SignSkipCommand.class
    })
public final class TrainerAgent implements SigningHost {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"--sig_out", "--sig-out"},
      required = true,
      paramLabel = "DIR",
      description = "Folder for model.sig, dataset_<source>.sig and provenance.sig.")
  Path sigOut;

  @Option(
      names = {"--model_path", "--model-path"},
      paramLabel = "DIR",
      defaultValue = "./models",
      description = "Where to save the model (default: ${DEFAULT-VALUE}).")
  Path modelPath;

  @Option(
      names = "--dataset",
      paramLabel = "DIR",
      description = "Prepared dataset (default: the one dataset under ./dataset).")
  Path dataset;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "5",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "64",
      description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = {"--lr", "--learning-rate"},
      paramLabel = "RATE",
      defaultValue = "0.001",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed for initialisation and shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--tokenizer",
      paramLabel = "JSON",
      description = "tokenizer.json for a text dataset (default: the dataset's own).")
  Path tokenizer;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = {"--encrypt-model", "--encrypt_model"},
      description =
          "Write the model encrypted under its key in --key-store (created when the store lacks it);"
              + " it is never written in clear.")
  boolean encryptModel;

  @Option(
      names = {"--model-id", "--model_id"},
      paramLabel = "ARTIFACT@VERSION",
      description =
          "The model's key: sentry:model/ARTIFACT@VERSION (default: the model folder's name @ the UTC"
              + " start time, yyyyMMdd-HHmmss).")
  String modelId;

  @Mixin KeyStoreOption keyStore;

  @Mixin KeyBrokerOptions keyBroker;

  @Mixin ResilienceOptions resilience;

  @Mixin EngineOptions engineOptions;

  public static void main(String[] args) {
    CliSupport.quietLibraryLogging();
    System.exit(run(args, CliSupport.stdout(), CliSupport.stderr()));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // The shared handlers print the one-line error and, under --json, the failure as JSON too.
    if (args.length > 0 && args[0].equals(ReproduceCommand.OPTION)) {
      return CliSupport.commandLine(new ReproduceCommand(), out, err)
          .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
    return CliSupport.commandLine(new TrainerAgent(), out, err).execute(args);
  }

  @Override
  public int sign(StatementSigner signer, String methodName) {
    TrainingConfig config;
    try {
      config = new TrainingConfig(epochs, batch, learningRate, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Path datasetDir = DatasetLocator.locate(dataset, Path.of("dataset"));
    DataKeys keys = keyBroker.dataKeys(keyStore).orElse(null);
    KeyId modelKey = modelKey(keys);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrainingPipeline.Request request =
        new TrainingPipeline.Request(
            datasetDir,
            modelPath,
            new SignatureFolder(sigOut),
            config,
            "https://sentryml.org/sentry-trainer@" + VersionInfo.version(),
            tokenizer,
            keys,
            modelKey);
    TrainingPipeline.Result result;
    try (OnDemandEngine engine = new OnDemandEngine(engineOptions::createQuietly)) {
      result =
          TrainingPipeline.run(
              request,
              resilience.options(keyBroker.checkpointRecorder()),
              signer,
              engine,
              TerminalProgress.forTerminal(engineOptions.quiet() || json),
              line -> {
                if (!engineOptions.quiet() && !json) {
                  TerminalText.println(err, line);
                  err.flush();
                }
              });
    }
    TrainingPipeline.EpochStats last = result.epochs().get(result.epochs().size() - 1);
    if (json) {
      JsonObject report = new JsonObject();
      report.addProperty("ok", true);
      report.addProperty("exit_code", 0);
      report.addProperty("dataset", datasetDir.toString());
      report.addProperty("model", modelPath.toString());
      report.addProperty("model_root", "sha256:" + result.model().root().hex());
      report.addProperty("signatures", sigOut.toString());
      report.addProperty("method", methodName);
      report.addProperty("device", result.device());
      if (modelKey != null) {
        report.addProperty("model_key_id", modelKey.toString());
      }
      JsonArray epochsArray = new JsonArray();
      for (TrainingPipeline.EpochStats s : result.epochs()) {
        JsonObject e = new JsonObject();
        e.addProperty("epoch", s.epoch());
        e.addProperty("loss", s.loss());
        e.addProperty("train_accuracy", s.trainAccuracy());
        if (!Double.isNaN(s.evalAccuracy())) {
          e.addProperty("eval_accuracy", s.evalAccuracy());
        }
        e.addProperty("seconds", s.seconds());
        e.addProperty("hashing_seconds", s.hashingSeconds());
        e.addProperty("train_samples_per_second", s.trainSamples() / s.seconds());
        epochsArray.add(e);
      }
      report.add("epochs", epochsArray);
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(report));
    } else {
      TerminalText.printf(
          out,
          "trained %s on %s (%d epochs, evaluation accuracy %s); model root sha256:%s%n",
          modelPath,
          result.dataset().origin().id(),
          result.epochs().size(),
          Double.isNaN(last.evalAccuracy())
              ? "n/a"
              : String.format(Locale.ROOT, "%.2f%%", 100 * last.evalAccuracy()),
          result.model().root().hex());
      TerminalText.printf(
          out,
          "signed %s, %d dataset_<source>.sig and %s with %s into %s%n",
          SignatureFolder.MODEL,
          result.dataset().sources().size(),
          SignatureFolder.PROVENANCE,
          methodName,
          sigOut);
      if (modelKey != null) {
        TerminalText.println(out, "wrote the model encrypted under " + modelKey);
      }
    }
    out.flush();
    return 0;
  }

  /** The key to encrypt the model under, created in the store when absent; null without one. */
  private KeyId modelKey(DataKeys keys) {
    if (!encryptModel) {
      if (modelId != null) {
        throw new UsageException("--model-id needs --encrypt-model");
      }
      return null;
    }
    if (keys == null) {
      throw new UsageException(
          "--encrypt-model needs --key-store DIR (sentry keys init), --key-server or --key-cache");
    }
    String id =
        modelId != null
            ? modelId
            : ModelPlan.nameOf(modelPath)
                + "@"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                    .withZone(ZoneOffset.UTC)
                    .format(Instant.now());
    KeyId key =
        KeyStoreOption.keyId(
            ArtifactKind.MODEL, id, modelId != null ? "--model-id" : "the model folder's name");
    if (keys instanceof KeyStore store) {
      store.createIfAbsent(key);
    }
    // A released key exists already: the owner created it in the key server's store.
    return key;
  }
}
