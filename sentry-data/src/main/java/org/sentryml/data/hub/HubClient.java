package org.sentryml.data.hub;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * A Hugging Face Hub client for dataset repositories: resolves a revision to a commit, lists the
 * commit's files, and downloads the parquet files of one configuration into the standard HF cache
 * ({@link HubCache}), resumable and verified against the published SHA-256.
 *
 * <p>Routes used (the same as {@code huggingface_hub}):
 *
 * <ul>
 *   <li>{@code GET {base}/api/datasets/{repo}/revision/{revision}} → {@code {"sha": ...}}
 *   <li>{@code GET {base}/api/datasets/{repo}/tree/{commit}?recursive=true}, paginated by {@code
 *       Link: <...>; rel="next"}
 *   <li>{@code GET {base}/datasets/{repo}/resolve/{commit}/{path}}, redirects followed to any host
 *       but the token sent only to the base URL's origin
 * </ul>
 *
 * <p>Exit codes of the {@link SentryException}s thrown: {@link UsageException} for 401/403 (token
 * missing or refused), for a dataset id or revision that is not a name, and for a missing or
 * ambiguous configuration; {@link MalformedInputException} for 404 (dataset, revision or file not
 * found) and malformed answers; {@link VerificationFailedException} for a file whose size or digest
 * differs from the listing; {@link IoFailureException} for network and disk failures, a body that
 * ends early, and an offline lookup that misses the cache.
 *
 * <p>Not thread-safe; use one client per thread. The token is never logged or put in a message.
 */
public final class HubClient implements AutoCloseable {
  /** The public Hub. */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

  /** The revision used when none is named. */
  public static final String DEFAULT_REVISION = "main";

  private final URI base;
  private final HubCache cache;
  private final HubHttp http;
  private final BlobDownloader downloader;

  /**
   * @param endpoint the Hub's base URL ({@code --hub-url} or {@code HF_ENDPOINT})
   * @param token the access token, or {@code null} for anonymous access
   * @param cache where downloads go
   */
  public HubClient(URI endpoint, @Nullable HubToken token, HubCache cache) {
    String text = endpoint.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.cache = cache;
    this.http = new HubHttp(base, token);
    this.downloader = new BlobDownloader(http, cache);
  }

  /** {@code --hub-url} if given, else {@code HF_ENDPOINT}, else {@link #DEFAULT_ENDPOINT}. */
  public static URI endpoint(@Nullable String hubUrl, Map<String, String> env) {
    if (hubUrl != null && !hubUrl.isBlank()) {
      return URI.create(hubUrl.strip());
    }
    String fromEnv = env.get("HF_ENDPOINT");
    return fromEnv != null && !fromEnv.isBlank() ? URI.create(fromEnv.strip()) : DEFAULT_ENDPOINT;
  }

  /** The 40-hex commit that {@code revision} (branch, tag or commit) of the dataset points to. */
  public String resolveCommit(String repoId, String revision) {
    checkRequest(repoId, revision);
    String what = "dataset or revision " + repoId + "@" + revision;
    URI uri =
        URI.create(
            base
                + "/api/datasets/"
                + HubNames.repoPath(repoId)
                + "/revision/"
                + HubNames.segment(revision));
    return TreeListing.commitOf(HubHttp.readBody(http.getOk(uri, what), what), what);
  }

  /** Every file of the dataset at {@code commit}, in path order, following pagination. */
  public List<HubFile> listFiles(String repoId, String commit) {
    checkRequest(repoId, commit);
    String what = "file listing of " + repoId + "@" + commit;
    URI page =
        URI.create(
            base
                + "/api/datasets/"
                + HubNames.repoPath(repoId)
                + "/tree/"
                + HubNames.segment(commit)
                + "?recursive=true");
    List<HubFile> files = new ArrayList<>();
    Set<URI> seen = new HashSet<>();
    while (page != null) {
      if (!seen.add(page)) {
        throw new MalformedInputException("the " + what + " pages loop at " + page);
      }
      HubHttp.Exchange exchange = http.getOk(page, what);
      List<String> links = exchange.response().headers().allValues("Link");
      files.addAll(TreeListing.filesOf(HubHttp.readBody(exchange, what), what));
      page = TreeListing.nextPage(links, page).orElse(null);
    }
    files.sort((a, b) -> a.path().compareTo(b.path()));
    return List.copyOf(files);
  }

  /**
   * Downloads the parquet files of one configuration at {@code revision} into the cache (files
   * already there are hashed again and not fetched when they still match the listing), links them
   * into {@code snapshots/{commit}/}, records their checksums ({@link CacheChecksums}) and {@code
   * refs/{revision}} once all are in place.
   *
   * @param config the configuration, or {@code null} to take the only one
   */
  public HubSnapshot download(
      String repoId, String revision, String config, DownloadProgress progress) {
    String commit = resolveCommit(repoId, revision);
    Map<String, HubFile> byPath = new LinkedHashMap<>();
    listFiles(repoId, commit).forEach(file -> byPath.put(file.path(), file));
    SplitLayout.Selection selection =
        SplitLayout.select(repoId + "@" + revision, List.copyOf(byPath.keySet()), config);
    Map<String, List<Path>> splits = new LinkedHashMap<>();
    List<HubFile> fetched = new ArrayList<>();
    for (Map.Entry<String, List<String>> split : selection.splits().entrySet()) {
      List<Path> paths = new ArrayList<>();
      for (String path : split.getValue()) {
        HubFile file = byPath.get(path);
        fetched.add(file);
        URI url =
            URI.create(
                base
                    + "/datasets/"
                    + HubNames.repoPath(repoId)
                    + "/resolve/"
                    + commit
                    + "/"
                    + HubNames.path(path));
        downloader.fetch(repoId, url, file, progress);
        paths.add(cache.link(repoId, commit, file));
      }
      splits.put(split.getKey(), paths);
    }
    CacheChecksums.record(cache, repoId, commit, fetched);
    if (!revision.equals(commit)) {
      cache.writeRef(repoId, revision, commit);
    }
    return new HubSnapshot(repoId, revision, commit, selection.config(), splits);
  }

  /**
   * The snapshot from the cache alone, without any network access: the revision through {@code
   * refs/} (or a commit id with a snapshot folder), the files through {@code snapshots/{commit}/},
   * each hashed again and checked against the checksum recorded when it was downloaded.
   *
   * @throws IoFailureException naming what is missing when the revision, its files or their
   *     recorded checksums are not cached; {@link VerificationFailedException} naming the file when
   *     a cached file differs from its record
   */
  public static HubSnapshot offline(
      HubCache cache, String repoId, String revision, @Nullable String config) {
    checkRequest(repoId, revision);
    Optional<String> commit = cache.readRef(repoId, revision);
    if (commit.isEmpty()) {
      throw new IoFailureException(
          "offline: "
              + repoId
              + "@"
              + revision
              + " is not in the cache "
              + cache.root()
              + " (no "
              + cache.refFile(repoId, revision)
              + "); download it once without --offline");
    }
    List<String> paths = cache.snapshotPaths(repoId, commit.get());
    if (paths.isEmpty()) {
      throw new IoFailureException(
          "offline: no cached files for "
              + repoId
              + "@"
              + commit.get()
              + " under "
              + cache.repoFolder(repoId).resolve("snapshots"));
    }
    SplitLayout.Selection selection =
        SplitLayout.select(repoId + "@" + revision + " (cached)", paths, config);
    Map<String, List<Path>> splits = new LinkedHashMap<>();
    selection
        .splits()
        .forEach(
            (split, files) -> {
              List<Path> resolved = new ArrayList<>();
              for (String path : files) {
                Path file = cache.snapshotFile(repoId, commit.get(), path);
                if (!Files.isRegularFile(file)) {
                  throw new IoFailureException(
                      "offline: cached file " + file + " is missing its blob");
                }
                HubFile recorded =
                    CacheChecksums.lookup(cache, repoId, commit.get(), path)
                        .orElseThrow(
                            () ->
                                new IoFailureException(
                                    "offline: no checksum is recorded for cached file "
                                        + file
                                        + " (in "
                                        + CacheChecksums.file(cache, repoId, commit.get())
                                        + "), so it cannot be checked; download it once without"
                                        + " --offline"));
                ContentCheck.verify(file, recorded);
                resolved.add(file);
              }
              splits.put(split, resolved);
            });
    return new HubSnapshot(repoId, revision, commit.get(), selection.config(), splits);
  }

  /**
   * The dataset id and revision a user asked for, checked before they reach a URL or a cache path:
   * a bad one ({@code ../x}) is a usage error.
   */
  private static void checkRequest(String repoId, String revision) {
    try {
      HubNames.checkRepoId(repoId);
      HubNames.checkRevision(revision);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return base;
  }

  public HubCache cache() {
    return cache;
  }

  @Override
  public void close() {
    http.close();
  }
}
