package org.sentryml.data.dataset;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.io.TaskProgress;
import org.sentryml.data.hub.HubCache;
import org.sentryml.data.hub.HubClient;
import org.sentryml.data.hub.HubSnapshot;
import org.sentryml.data.hub.HubToken;
import org.sentryml.data.hub.LocalHubServer;

/**
 * What {@code sentry-dataset} does, end to end: check the output location (before anything is
 * downloaded), read and check the tokenizer, fetch the dataset from the Hub, a loopback mirror of a
 * local folder or the cache alone, then split, shard and hash it into the output folder. The agent
 * only parses its arguments and prints the result.
 */
public final class DatasetPreparation {
  /** A tokenizer file is a few MiB at most; anything larger is the wrong file. */
  static final long MAX_TOKENIZER_BYTES = 64L << 20;

  private DatasetPreparation() {}

  /** Where the dataset comes from. */
  public sealed interface Origin {
    /**
     * The Hub at {@code endpoint} (null: {@code $HF_ENDPOINT}, else huggingface.co), with the
     * user's token.
     */
    record Hub(@Nullable String endpoint) implements Origin {}

    /** {@code <org>/<name>/} repository folders under {@code folder}, served on a loopback port. */
    record Mirror(Path folder) implements Origin {}

    /** The HF cache only, no network. */
    record Offline() implements Origin {}
  }

  /**
   * One preparation.
   *
   * @param cacheDir the HF cache folder, or null for the standard one ({@code $HF_HUB_CACHE}, ...)
   * @param tokenizer a {@code tokenizer.json} to check and keep beside the shards, or null
   * @param encryption how to encrypt the output, or null to write it in clear
   */
  public record Request(
      String datasetId,
      String revision,
      @Nullable String config,
      Origin origin,
      @Nullable Path cacheDir,
      SplitPlan plan,
      Path outDir,
      @Nullable Path tokenizer,
      boolean force,
      @Nullable DatasetEncryption encryption) {
    /** A request for a dataset written in clear. */
    public Request(
        String datasetId,
        String revision,
        @Nullable String config,
        Origin origin,
        @Nullable Path cacheDir,
        SplitPlan plan,
        Path outDir,
        @Nullable Path tokenizer,
        boolean force) {
      this(datasetId, revision, config, origin, cacheDir, plan, outDir, tokenizer, force, null);
    }

    public Request {
      Objects.requireNonNull(datasetId, "datasetId");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(outDir, "outDir");
    }
  }

  /** The manifest written and how long the split, shard and hash step took. */
  public record Result(DatasetManifest manifest, double seconds) {}

  /**
   * Prepares the dataset.
   *
   * @param tokenizerCheck proves that tokenizer bytes load (it throws when they do not); the
   *     tokenizer library lives above this module
   */
  public static Result prepare(
      Request request, HashEngine engine, TaskProgress progress, Consumer<byte[]> tokenizerCheck) {
    HubCache cache =
        request.cacheDir() == null ? HubCache.fromEnvironment() : new HubCache(request.cacheDir());
    List<Path> inputs = new ArrayList<>(List.of(cache.root()));
    Path mirror = request.origin() instanceof Origin.Mirror m ? m.folder() : null;
    Stream.of(mirror, request.tokenizer()).filter(Objects::nonNull).forEach(inputs::add);
    DatasetWriter.checkOutput(request.outDir(), request.force(), inputs, request.encryption());
    byte[] tokenizerJson = null;
    if (request.tokenizer() != null) {
      tokenizerJson = BoundedFiles.read(request.tokenizer(), MAX_TOKENIZER_BYTES, "tokenizer");
      tokenizerCheck.accept(tokenizerJson);
    }
    HubSnapshot snapshot = fetch(request, cache, progress);
    DatasetWriter.Upstream upstream =
        new DatasetWriter.Upstream(
            new DatasetOrigin(snapshot.repoId(), snapshot.revision(), snapshot.commit()),
            snapshot.parquetFiles(),
            tokenizerJson);
    long started = System.nanoTime();
    DatasetManifest manifest =
        DatasetWriter.write(
            upstream,
            request.plan(),
            request.outDir(),
            request.force(),
            inputs,
            engine,
            progress,
            request.encryption());
    return new Result(manifest, (System.nanoTime() - started) / 1e9);
  }

  private static HubSnapshot fetch(Request request, HubCache cache, TaskProgress progress) {
    DownloadBars bars = new DownloadBars(progress);
    try {
      return switch (request.origin()) {
        case Origin.Offline offline ->
            HubClient.offline(cache, request.datasetId(), request.revision(), request.config());
        case Origin.Mirror mirror -> {
          try (LocalHubServer server = LocalHubServer.start(mirror.folder());
              HubClient client = new HubClient(server.baseUri(), null, cache)) {
            yield client.download(request.datasetId(), request.revision(), request.config(), bars);
          }
        }
        case Origin.Hub hub -> {
          Map<String, String> env = System.getenv();
          URI endpoint = HubClient.endpoint(hub.endpoint(), env);
          HubToken token =
              HubToken.find(
                      env, Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")))
                  .orElse(null);
          try (HubClient client = new HubClient(endpoint, token, cache)) {
            yield client.download(request.datasetId(), request.revision(), request.config(), bars);
          }
        }
      };
    } finally {
      bars.finish();
    }
  }
}
