package org.sentryml.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.attestation.DatasetOrigin;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.data.hub.HubCache;
import org.sentryml.data.hub.HubClient;
import org.sentryml.data.hub.HubSnapshot;
import org.sentryml.data.hub.SplitLayout;

/**
 * The upstream parquet files of a preparation and where they came from: either a snapshot in the
 * local HF cache (what {@code sentry-dataset --offline} reads, so both record the same origin), or
 * a folder on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}, ...) laid out as
 * a Hub dataset repository, with the commit given by the caller.
 *
 * @param files split name to file URIs, splits in name order and files in repository-path order
 *     (the order {@code sentry-dataset} reads them in)
 * @param localFiles the files as local paths, for the output guard; empty for remote file systems
 */
record PrepareInput(DatasetOrigin origin, Map<String, List<String>> files, List<Path> localFiles) {
  PrepareInput {
    Objects.requireNonNull(origin, "origin");
    files = new TreeMap<>(files);
    localFiles = List.copyOf(localFiles);
  }

  /** The snapshot of {@code datasetId}@{@code revision} in the HF cache at {@code cacheDir}. */
  static PrepareInput fromCache(
      Path cacheDir, String datasetId, String revision, @Nullable String config) {
    HubSnapshot snapshot = HubClient.offline(new HubCache(cacheDir), datasetId, revision, config);
    Map<String, List<String>> files = new TreeMap<>();
    List<Path> local = new ArrayList<>();
    snapshot
        .parquetFiles()
        .forEach(
            (split, paths) -> {
              files.put(
                  split, paths.stream().map(p -> p.toAbsolutePath().toUri().toString()).toList());
              local.addAll(paths);
            });
    local.add(cacheDir);
    return new PrepareInput(
        new DatasetOrigin(snapshot.repoId(), snapshot.revision(), snapshot.commit()), files, local);
  }

  /** Every parquet file under {@code folder}, grouped into splits as the Hub lays them out. */
  static PrepareInput fromFolder(
      String folder, Configuration hadoop, DatasetOrigin origin, @Nullable String config) {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(folder);
    List<String> relative = new ArrayList<>();
    Map<String, String> absolute = new TreeMap<>();
    try {
      FileSystem fs = root.getFileSystem(hadoop);
      org.apache.hadoop.fs.Path qualified = fs.makeQualified(root);
      String prefix = qualified.toUri().getPath();
      prefix = prefix.endsWith("/") ? prefix : prefix + "/";
      RemoteIterator<LocatedFileStatus> listing = fs.listFiles(qualified, true);
      while (listing.hasNext()) {
        LocatedFileStatus status = listing.next();
        String path = status.getPath().toUri().getPath();
        if (!path.startsWith(prefix)) {
          continue;
        }
        String name = path.substring(prefix.length());
        relative.add(name);
        absolute.put(name, status.getPath().toUri().toString());
      }
    } catch (IOException e) {
      throw new IoFailureException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    SplitLayout.Selection selection =
        SplitLayout.select(folder, relative.stream().sorted().toList(), config);
    Map<String, List<String>> files = new TreeMap<>();
    selection
        .splits()
        .forEach((split, names) -> files.put(split, names.stream().map(absolute::get).toList()));
    List<Path> local = new ArrayList<>();
    URI uri = URI.create(absolute.values().stream().findFirst().orElse(folder));
    if ("file".equals(uri.getScheme())) {
      files.values().forEach(list -> list.forEach(u -> local.add(Path.of(URI.create(u)))));
    }
    if (files.isEmpty()) {
      throw new UsageException("no parquet files of a split under " + folder);
    }
    return new PrepareInput(origin, files, local);
  }

  /** scheme://authority/path, decoded: the same file spelled by Hadoop or by Spark's metadata. */
  static String canonical(String uri) {
    URI u = URI.create(uri);
    String scheme = u.getScheme() == null ? "file" : u.getScheme();
    String authority = u.getRawAuthority() == null ? "" : u.getRawAuthority();
    return scheme + "://" + authority + u.getPath();
  }
}
