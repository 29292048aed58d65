package org.sentryml.data.hub;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.JsonFile;
import org.sentryml.core.json.Unsigned64;

/**
 * What the Hub's listing said about every file downloaded at a commit, kept beside the HF cache
 * layout in {@code {repo folder}/sentry-checksums/{commit}.json}, so that an offline run can check
 * each cached file against the digest it was verified with when it was downloaded (the snapshot's
 * links alone do not say which blob a path must be, and a copied snapshot file has no blob name):
 *
 * <pre>
 * {"format": "https://sentryml.org/hub-cache-checksums/v1", "repo": "org/name", "commit": "40 hex",
 *  "files": [{"path": "data/train-00000-of-00001.parquet", "size": 123, "oid": "40 hex", "sha256": "64 hex"}, ...]}
 * </pre>
 *
 * <p>{@code sha256} is there for LFS files only; other files are checked by their git blob id
 * ({@code oid}). The record is as trustworthy as the cache it sits in: it catches a changed, lost
 * or swapped cached file, not someone who rewrites both. Not thread-safe for concurrent writers.
 */
final class CacheChecksums {
  static final String FORMAT = "https://sentryml.org/hub-cache-checksums/v1";
  private static final String FOLDER = "sentry-checksums";

  private CacheChecksums() {}

  static Path file(HubCache cache, String repoId, String commit) {
    return cache.repoFolder(repoId).resolve(FOLDER).resolve(commit + ".json");
  }

  /**
   * Adds {@code files} to the record of {@code commit}, keeping what earlier downloads recorded.
   */
  static void record(HubCache cache, String repoId, String commit, Collection<HubFile> files) {
    Map<String, HubFile> all = new TreeMap<>(read(cache, repoId, commit));
    files.forEach(f -> all.put(f.path(), f));
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("repo", repoId);
    json.addProperty("commit", commit);
    JsonArray array = new JsonArray();
    for (HubFile f : all.values()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("path", f.path());
      entry.addProperty("size", f.size());
      entry.addProperty("oid", f.gitOid());
      if (f.isLfs()) {
        entry.addProperty("sha256", f.sha256());
      }
      array.add(entry);
    }
    json.add("files", array);
    JsonFile.write(file(cache, repoId, commit), json);
  }

  /** The recorded file at {@code path}, if a download recorded one. */
  static Optional<HubFile> lookup(HubCache cache, String repoId, String commit, String path) {
    return Optional.ofNullable(read(cache, repoId, commit).get(path));
  }

  /**
   * The record by path; empty when there is none. A damaged record is BAD_INPUT naming the field.
   */
  private static Map<String, HubFile> read(HubCache cache, String repoId, String commit) {
    Path file = file(cache, repoId, commit);
    Map<String, HubFile> files = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return files;
    }
    JsonFields json = JsonFile.read(file, FORMAT);
    if (!repoId.equals(json.string("repo")) || !commit.equals(json.string("commit"))) {
      throw json.error(
          "commit", "must name " + repoId + "@" + commit + ", the snapshot it sits beside");
    }
    JsonArray array = json.array("files");
    for (int i = 0; i < array.size(); i++) {
      JsonFields entry = json.element("files", array, i);
      String sha256 = entry.has("sha256") ? entry.string("sha256") : null;
      try {
        HubFile recorded =
            new HubFile(
                entry.string("path"), Unsigned64.field(entry, "size"), entry.string("oid"), sha256);
        files.put(recorded.path(), recorded);
      } catch (IllegalArgumentException e) {
        throw entry.error("path", "does not describe a file: " + e.getMessage());
      }
    }
    return files;
  }
}
