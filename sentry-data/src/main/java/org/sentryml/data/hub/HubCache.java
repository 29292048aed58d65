package org.sentryml.data.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;

/**
 * The standard Hugging Face cache layout, shared with the Python tools:
 *
 * <pre>
 * {root}/datasets--{org}--{name}/
 *   blobs/{etag}                  file contents, named by SHA-256 (LFS) or git blob id
 *   blobs/{etag}.incomplete       a download in progress, resumed by the next run
 *   snapshots/{commit}/{path}     relative symbolic links to the blobs (copies where links fail)
 *   refs/{revision}               the commit a branch or tag pointed to when last resolved
 * </pre>
 *
 * <p>A blob only ever appears under its final name after its size and digest were checked, and
 * {@code sentry-checksums/{commit}.json} ({@link CacheChecksums}) records what every downloaded
 * path was checked against. Nothing in the cache is trusted as it lies, though: a cached file is
 * hashed again before each use, against the Hub's listing online and against that record offline (a
 * flipped bit on disk would otherwise be used, and signed). Not thread-safe for concurrent writers
 * of the same repository.
 */
public final class HubCache {
  private final Path root;

  public HubCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The cache this process's environment selects, see {@link #defaultRoot}. */
  public static HubCache fromEnvironment() {
    return new HubCache(defaultRoot(System.getenv(), Path.of(System.getProperty("user.home"))));
  }

  /**
   * {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, with {@code HF_HOME} defaulting as in {@link
   * #hfHome}.
   */
  public static Path defaultRoot(Map<String, String> env, Path userHome) {
    String hubCache = env.get("HF_HUB_CACHE");
    if (hubCache != null && !hubCache.isBlank()) {
      return Path.of(hubCache);
    }
    return hfHome(env, userHome).resolve("hub");
  }

  /**
   * {@code $HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}.
   */
  public static Path hfHome(Map<String, String> env, Path userHome) {
    String home = env.get("HF_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : userHome.resolve(".cache");
    return cache.resolve("huggingface");
  }

  public Path root() {
    return root;
  }

  /** {@code datasets--org--name}: the HF naming, slashes turned into {@code --}. */
  public Path repoFolder(String repoId) {
    return root.resolve("datasets--" + HubNames.checkRepoId(repoId).replace("/", "--"));
  }

  public Path blob(String repoId, String etag) {
    return repoFolder(repoId).resolve("blobs").resolve(etag);
  }

  public Path incompleteBlob(String repoId, String etag) {
    return repoFolder(repoId).resolve("blobs").resolve(etag + ".incomplete");
  }

  public Path snapshotFile(String repoId, String commit, String path) {
    HubNames.checkRelativePath(path);
    return snapshotFolder(repoId, commit).resolve(path);
  }

  private Path snapshotFolder(String repoId, String commit) {
    if (!HubNames.isCommit(commit)) {
      throw new IllegalArgumentException("not a 40-hex commit id: " + commit);
    }
    return repoFolder(repoId).resolve("snapshots").resolve(commit);
  }

  public Path refFile(String repoId, String revision) {
    return repoFolder(repoId).resolve("refs").resolve(HubNames.checkRevision(revision));
  }

  /** Records that {@code revision} pointed to {@code commit}; replaces the file atomically. */
  void writeRef(String repoId, String revision, String commit) {
    Path ref = refFile(repoId, revision);
    try {
      Files.createDirectories(ref.getParent());
      Path temp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
      Files.writeString(temp, commit, StandardCharsets.US_ASCII);
      moveReplacing(temp, ref);
    } catch (IOException e) {
      throw writeFailed(ref, e);
    }
  }

  /**
   * The commit recorded for {@code revision}; a commit id resolves to itself if its snapshot
   * exists.
   */
  Optional<String> readRef(String repoId, String revision) {
    if (HubNames.isCommit(revision) && Files.isDirectory(snapshotFolder(repoId, revision))) {
      return Optional.of(revision);
    }
    Path ref = refFile(repoId, revision);
    if (!Files.isRegularFile(ref)) {
      return Optional.empty();
    }
    try {
      String commit = Files.readString(ref, StandardCharsets.US_ASCII).strip();
      if (!HubNames.isCommit(commit)) {
        throw new MalformedInputException("cache ref " + ref + " does not hold a 40-hex commit id");
      }
      return Optional.of(commit);
    } catch (IOException e) {
      throw PathProblems.classify(ref, e);
    }
  }

  /**
   * Makes {@code snapshots/{commit}/{path}} point at the file's (verified) blob: a relative
   * symbolic link, so the cache can be moved, or a copy where the file system has no links. Only a
   * link to that blob is kept as it is; a copy is made again from the blob, so what the caller uses
   * is always the bytes just verified.
   */
  Path link(String repoId, String commit, HubFile file) {
    Path blob = blob(repoId, file.etag());
    Path snapshot = snapshotFile(repoId, commit, file.path());
    try {
      if (Files.isSymbolicLink(snapshot)
          && Files.exists(snapshot)
          && Files.isSameFile(snapshot, blob)) {
        return snapshot;
      }
      Files.createDirectories(snapshot.getParent());
      Files.deleteIfExists(snapshot);
      try {
        Files.createSymbolicLink(snapshot, snapshot.getParent().relativize(blob));
      } catch (UnsupportedOperationException | IOException noLinks) {
        Files.copy(blob, snapshot, StandardCopyOption.REPLACE_EXISTING);
      }
      return snapshot;
    } catch (IOException e) {
      throw writeFailed(snapshot, e);
    }
  }

  /** The repository paths present in a snapshot folder, in path order; empty if it is absent. */
  List<String> snapshotPaths(String repoId, String commit) {
    Path folder = snapshotFolder(repoId, commit);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<String> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      // Links are kept even when dangling, so that a lost blob is reported, not skipped.
      walk.filter(p -> Files.isRegularFile(p) || Files.isSymbolicLink(p))
          .forEach(p -> paths.add(folder.relativize(p).toString().replace('\\', '/')));
    } catch (IOException e) {
      throw PathProblems.classify(folder, e);
    }
    paths.sort(null);
    return paths;
  }

  static void moveReplacing(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static SentryException writeFailed(Path path, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new IoFailureException("cannot write " + path + ": " + reason, e);
  }
}
