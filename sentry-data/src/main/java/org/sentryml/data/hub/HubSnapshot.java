package org.sentryml.data.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The parquet files of one dataset configuration at a pinned commit, as they lie in the local HF
 * cache.
 *
 * @param repoId the dataset id, {@code org/name}
 * @param revision the revision asked for (branch, tag or commit)
 * @param commit the 40-hex commit the revision resolved to
 * @param config the configuration whose files these are ({@code default} for {@code data/})
 * @param parquetFiles split name to the snapshot paths of its files, splits in name order and files
 *     in repository-path order
 */
public record HubSnapshot(
    String repoId,
    String revision,
    String commit,
    String config,
    Map<String, List<Path>> parquetFiles) {
  public HubSnapshot {
    Objects.requireNonNull(repoId, "repoId");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(config, "config");
    TreeMap<String, List<Path>> copy = new TreeMap<>();
    parquetFiles.forEach((split, files) -> copy.put(split, List.copyOf(files)));
    parquetFiles = java.util.Collections.unmodifiableMap(copy);
  }
}
