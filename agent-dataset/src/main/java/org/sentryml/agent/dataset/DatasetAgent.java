package org.sentryml.agent.dataset;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.sentryml.cli.CliSupport;
import org.sentryml.cli.TerminalText;
import org.sentryml.cli.EngineOptions;
import org.sentryml.cli.TerminalProgress;
import org.sentryml.cli.VersionInfo;
import org.sentryml.core.dataset.DatasetManifest;
import org.sentryml.core.dataset.DatasetOrigin;
import org.sentryml.core.dataset.DatasetWriter;
import org.sentryml.core.dataset.SourceDigest;
import org.sentryml.core.dataset.SplitPlan;
import org.sentryml.core.dataset.hub.HubCache;
import org.sentryml.core.dataset.hub.HubClient;
import org.sentryml.core.dataset.hub.HubSnapshot;
import org.sentryml.core.dataset.hub.HubToken;
import org.sentryml.core.dataset.hub.LocalHubServer;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.core.ml.TextFeatures;
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
 * DatasetWriter} and {@link HubClient}.
 */
@Command(
    name = "sentry-dataset",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Fetch a Hugging Face dataset, split it non-IID across data sources (Dirichlet alpha), write one tar shard per source and record its digests.")
public final class DatasetAgent implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATASET_ID", description = "Hub dataset id, e.g. uoft-cs/cifar10 or ylecun/mnist.")
  String datasetId;

  @Parameters(index = "1", paramLabel = "SOURCES", description = "Number of data sources (providers), at least 1.")
  int sources;

  @Parameters(index = "2", paramLabel = "ALPHA", description = "Dirichlet concentration, a real number > 0 (small = more skewed).")
  double alpha;

  @Parameters(index = "3", paramLabel = "OUT_DIR", description = "Folder to write the shards, index.json and manifest.json into.")
  Path outDir;

  @Option(names = "--revision", paramLabel = "REV", defaultValue = HubClient.DEFAULT_REVISION, description = "Branch, tag or commit (default: ${DEFAULT-VALUE}); recorded as the commit it resolves to.")
  String revision;

  @Option(names = "--config", paramLabel = "NAME", description = "Dataset configuration when it has several.")
  String config;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = {"--hub-url", "--hub_url"}, paramLabel = "URL", description = "Hub endpoint (default: $HF_ENDPOINT, else https://huggingface.co).")
  String hubUrl;

  @Option(names = {"--hub-mirror", "--hub_mirror"}, paramLabel = "DIR",
      description = "Serve DIR (<org>/<name>/ repository folders) on a loopback port through the Hub's HTTP API and download from it, as from the Hub.")
  Path hubMirror;

  @Option(names = {"--cache-dir", "--cache_dir"}, paramLabel = "DIR", description = "HF cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub).")
  Path cacheDir;

  @Option(names = "--offline", description = "Use only the HF cache; no network.")
  boolean offline;

  @Option(names = "--tokenizer", paramLabel = "JSON",
      description = "Hugging Face tokenizer.json for a text dataset: checked, then kept beside the shards for the trainer.")
  Path tokenizer;

  @Option(names = "--force", description = "Replace an existing output folder.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(names = "--debug", description = "Print stack traces on failure.")
  boolean debug;

  @Mixin EngineOptions engineOptions;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // The shared handlers print the one-line error and, under --json, the failure as JSON too.
    return CliSupport.commandLine(new DatasetAgent(), out, err).execute(args);
  }

  @Override
  public Integer call() {
    SplitPlan plan = plan();
    if (offline && (hubMirror != null || hubUrl != null)) {
      throw new UsageException("--offline uses only the cache; it cannot be combined with --hub-url or --hub-mirror");
    }
    TaskProgress progress = TerminalProgress.forTerminal(engineOptions.quiet() || json);
    HubCache cache = cacheDir == null ? HubCache.fromEnvironment() : new HubCache(cacheDir);
    List<Path> inputs = new ArrayList<>(List.of(cache.root()));
    Stream.of(hubMirror, tokenizer).filter(Objects::nonNull).forEach(inputs::add);
    DatasetWriter.checkOutput(outDir, force, inputs);
    byte[] tokenizerJson = tokenizer == null ? null : readTokenizer();
    HubSnapshot snapshot = fetch(cache, progress);
    DatasetWriter.Upstream upstream = new DatasetWriter.Upstream(
        new DatasetOrigin(snapshot.repoId(), snapshot.revision(), snapshot.commit()), snapshot.parquetFiles(), tokenizerJson);
    long started = System.nanoTime();
    DatasetManifest manifest;
    try (HashEngine engine = engineOptions.createQuietly()) {
      manifest = DatasetWriter.write(upstream, plan, outDir, force, inputs, engine, progress);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    report(manifest, seconds);
    return 0;
  }

  /** Reads the tokenizer and proves it loads, before anything is downloaded. */
  private byte[] readTokenizer() {
    byte[] json;
    try {
      json = Files.readAllBytes(tokenizer);
    } catch (IOException e) {
      throw PathProblems.classify(tokenizer, e);
    }
    try (TextFeatures check = TextFeatures.fromJson(json)) {
      check.vocabSize();
    }
    return json;
  }

  private SplitPlan plan() {
    try {
      return new SplitPlan(sources, alpha, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private HubSnapshot fetch(HubCache cache, TaskProgress progress) {
    if (offline) {
      return HubClient.offline(cache, datasetId, revision, config);
    }
    DownloadBars bars = new DownloadBars(progress);
    if (hubMirror != null) {
      try (LocalHubServer mirror = LocalHubServer.start(hubMirror);
          HubClient client = new HubClient(mirror.baseUri(), null, cache)) {
        return client.download(datasetId, revision, config, bars);
      } finally {
        bars.finish();
      }
    }
    URI endpoint = HubClient.endpoint(hubUrl, System.getenv());
    HubToken token = HubToken.find(System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home"))).orElse(null);
    try (HubClient client = new HubClient(endpoint, token, cache)) {
      return client.download(datasetId, revision, config, bars);
    } finally {
      bars.finish();
    }
  }

  private void report(DatasetManifest manifest, double seconds) {
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
        TerminalText.printf(out, "%s  %6d samples  %s  lattice %s%n", source.shard(), source.samples(),
            source.shardRoot().algorithm() + ":" + source.shardRoot().hex().substring(0, 16) + "...",
            source.totalDigest().hex().substring(0, 16) + "...");
      }
      TerminalText.printf(out, "wrote %s@%s (%d samples, %d sources, %.0f samples/s) into %s%n",
          manifest.origin().id(), manifest.origin().commit().substring(0, Math.min(12, manifest.origin().commit().length())),
          samples, manifest.sources().size(), samples / Math.max(seconds, 1e-9), outDir);
    }
    out.flush();
  }
}
