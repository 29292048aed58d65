package org.sentryml.agent.dataset;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.sentryml.clisupport.CliSupport;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.clisupport.KeyBrokerOptions;
import org.sentryml.clisupport.KeyStoreOption;
import org.sentryml.clisupport.TerminalProgress;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.clisupport.VersionInfo;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.data.dataset.DatasetEncryption;
import org.sentryml.data.dataset.DatasetManifest;
import org.sentryml.data.dataset.DatasetPreparation;
import org.sentryml.data.dataset.SourceDigest;
import org.sentryml.data.dataset.SplitPlan;
import org.sentryml.data.hub.HubClient;
import org.sentryml.training.ml.TextFeatures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-dataset <dataset-id> <sources> <alpha> <out-dir>}: fetches a Hugging Face dataset
 * (or takes it from the local HF cache), splits it among data sources and writes the shards, the
 * index and the unsigned manifest with every source's digests. A thin adapter over {@link
 * DatasetPreparation}.
 */
@Command(
    name = "sentry-dataset",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description =
        "Fetch a Hugging Face dataset, split it non-IID across data sources (Dirichlet alpha), write one tar shard per source and record its digests.")
public final class DatasetAgent implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DATASET_ID",
      description = "Hub dataset id, e.g. uoft-cs/cifar10 or ylecun/mnist.")
  String datasetId;

  @Parameters(
      index = "1",
      paramLabel = "SOURCES",
      description = "Number of data sources (providers), at least 1.")
  int sources;

  @Parameters(
      index = "2",
      paramLabel = "ALPHA",
      description = "Dirichlet concentration, a real number > 0 (small = more skewed).")
  double alpha;

  @Parameters(
      index = "3",
      paramLabel = "OUT_DIR",
      description = "Folder to write the shards, index.json and manifest.json into.")
  Path outDir;

  @Option(
      names = "--revision",
      paramLabel = "REV",
      defaultValue = HubClient.DEFAULT_REVISION,
      description =
          "Branch, tag or commit (default: ${DEFAULT-VALUE}); recorded as the commit it resolves to.")
  String revision;

  @Option(
      names = "--config",
      paramLabel = "NAME",
      description = "Dataset configuration when it has several.")
  String config;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed of the split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = {"--hub-url", "--hub_url"},
      paramLabel = "URL",
      description = "Hub endpoint (default: $HF_ENDPOINT, else https://huggingface.co).")
  String hubUrl;

  @Option(
      names = {"--hub-mirror", "--hub_mirror"},
      paramLabel = "DIR",
      description =
          "Serve DIR (<org>/<name>/ repository folders) on a loopback port through the Hub's HTTP API and download from it, as from the Hub.")
  Path hubMirror;

  @Option(
      names = {"--cache-dir", "--cache_dir"},
      paramLabel = "DIR",
      description =
          "HF cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub).")
  Path cacheDir;

  @Option(names = "--offline", description = "Use only the HF cache; no network.")
  boolean offline;

  @Option(
      names = "--tokenizer",
      paramLabel = "JSON",
      description =
          "Hugging Face tokenizer.json for a text dataset: checked, then kept beside the shards for the trainer.")
  Path tokenizer;

  @Option(names = "--force", description = "Replace an existing output folder.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--encrypt",
      description =
          "Write every file (shards, index, manifest, tokenizer) encrypted under the dataset's key in --key-store,"
              + " created when the store lacks it, or released by --key-server/--key-cache; no sample is written in clear.")
  boolean encrypt;

  @Option(
      names = {"--encrypt-id", "--encrypt_id"},
      paramLabel = "ARTIFACT@VERSION",
      description =
          "The dataset's key: sentry:dataset/ARTIFACT@VERSION (default: the dataset's name @ --revision).")
  String encryptId;

  @Mixin KeyStoreOption keyStore;

  @Mixin KeyBrokerOptions keyBroker;

  @Mixin EngineOptions engineOptions;

  public static void main(String[] args) {
    System.exit(run(args, CliSupport.stdout(), CliSupport.stderr()));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // The shared handlers print the one-line error and, under --json, the failure as JSON too.
    return CliSupport.commandLine(new DatasetAgent(), out, err).execute(args);
  }

  @Override
  public Integer call() {
    if (offline && (hubMirror != null || hubUrl != null)) {
      throw new UsageException(
          "--offline uses only the cache; it cannot be combined with --hub-url or --hub-mirror");
    }
    DatasetPreparation.Origin origin =
        offline
            ? new DatasetPreparation.Origin.Offline()
            : hubMirror != null
                ? new DatasetPreparation.Origin.Mirror(hubMirror)
                : new DatasetPreparation.Origin.Hub(hubUrl);
    DatasetPreparation.Request request =
        new DatasetPreparation.Request(
            datasetId,
            revision,
            config,
            origin,
            cacheDir,
            plan(),
            outDir,
            tokenizer,
            force,
            encryption());
    TaskProgress progress = TerminalProgress.forTerminal(engineOptions.quiet() || json);
    DatasetPreparation.Result result;
    try (HashEngine engine = engineOptions.createQuietly()) {
      result = DatasetPreparation.prepare(request, engine, progress, DatasetAgent::checkTokenizer);
    }
    report(result.manifest(), result.seconds(), request.encryption());
    return 0;
  }

  /**
   * How to encrypt the output, when {@code --encrypt} asks for it; the key is created if absent.
   */
  private @Nullable DatasetEncryption encryption() {
    if (!encrypt) {
      if (encryptId != null) {
        throw new UsageException("--encrypt-id needs --encrypt");
      }
      return null;
    }
    String name = datasetId.substring(datasetId.lastIndexOf('/') + 1);
    KeyId id =
        KeyStoreOption.keyId(
            ArtifactKind.DATASET,
            encryptId != null ? encryptId : name + "@" + revision,
            encryptId != null ? "--encrypt-id" : "the dataset's name and --revision");
    if (keyBroker.given()) {
      // A released key exists already: the owner created it in the key server's store.
      return new DatasetEncryption(id, keyBroker.dataKeys(keyStore).orElseThrow());
    }
    KeyStore store = keyStore.required("--encrypt");
    store.createIfAbsent(id);
    return new DatasetEncryption(id, store);
  }

  /** Proves the tokenizer loads with the library the trainer will load it with. */
  private static void checkTokenizer(byte[] json) {
    try (TextFeatures check = TextFeatures.fromJson(json)) {
      check.vocabSize();
    }
  }

  private SplitPlan plan() {
    try {
      return new SplitPlan(sources, alpha, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private void report(
      DatasetManifest manifest, double seconds, @Nullable DatasetEncryption encryption) {
    PrintWriter out = spec.commandLine().getOut();
    long samples = manifest.sources().stream().mapToLong(SourceDigest::samples).sum();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("dataset", manifest.origin().id());
      result.addProperty("commit", manifest.origin().commit());
      result.addProperty("out", outDir.toString());
      result.addProperty("samples", samples);
      result.addProperty("samples_per_second", Math.round(samples / Math.max(seconds, 1e-9)));
      if (encryption != null) {
        result.addProperty("key_id", encryption.keyId().toString());
      }
      JsonArray array = new JsonArray();
      for (SourceDigest source : manifest.sources()) {
        JsonObject entry = new JsonObject();
        entry.addProperty("name", source.name());
        entry.addProperty("shard", source.shard());
        entry.addProperty("samples", source.samples());
        entry.addProperty("digest", source.totalDigest().toString());
        array.add(entry);
      }
      result.add("sources", array);
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(result));
    } else {
      for (SourceDigest source : manifest.sources()) {
        TerminalText.printf(
            out,
            "%s  %6d samples  %s  lattice %s%n",
            source.shard(),
            source.samples(),
            source.shardRoot().algorithm()
                + ":"
                + source.shardRoot().hex().substring(0, 16)
                + "...",
            source.totalDigest().hex().substring(0, 16) + "...");
      }
      TerminalText.printf(
          out,
          "wrote %s@%s (%d samples, %d sources, %.0f samples/s) into %s%n",
          manifest.origin().id(),
          manifest
              .origin()
              .commit()
              .substring(0, Math.min(12, manifest.origin().commit().length())),
          samples,
          manifest.sources().size(),
          samples / Math.max(seconds, 1e-9),
          outDir);
      if (encryption != null) {
        TerminalText.println(out, "encrypted under " + encryption.keyId());
      }
    }
    out.flush();
  }
}
