package org.sentryml.data.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A snapshot of one dataset repository folder as {@link LocalHubServer} serves it: every regular
 * file (symbolic links and {@code .git} folders are left out, so nothing outside the folder is
 * served) with its SHA-256, and a commit id derived from them.
 *
 * <p>The commit id is the first 40 hex digits of SHA-256 over the ASCII tag {@code
 * sentry-local-hub-commit-v1} followed, for each file in path order (by {@link String#compareTo}),
 * by the UTF-8 path's byte length as a 4-byte big-endian integer, the path's bytes and the file's
 * 32-byte SHA-256. The same files therefore always give the same commit, and any change to a path
 * or a byte gives another.
 */
final class LocalRepository {
  static final String DEFAULT_BRANCH = "main";
  private static final byte[] COMMIT_TAG =
      "sentry-local-hub-commit-v1".getBytes(StandardCharsets.US_ASCII);

  /** One served file; {@code pointerOid} is the git id of the LFS pointer git would store. */
  record Entry(
      String path, Path file, long size, String sha256, String pointerOid, long pointerSize) {}

  private final Map<String, Entry> files;
  private final String commit;

  private LocalRepository(Map<String, Entry> files, String commit) {
    this.files = files;
    this.commit = commit;
  }

  /**
   * Scans {@code folder}; {@code hashes} memoizes digests by file, size and modification time so
   * that repeated requests do not re-read unchanged files.
   */
  static Optional<LocalRepository> scan(Path folder, Map<Path, Memo> hashes) {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Map<String, Entry> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) walk::iterator) {
        String path = folder.relativize(file).toString().replace('\\', '/');
        BasicFileAttributes attributes =
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile() || isGitPath(path)) {
          continue;
        }
        String sha256 = sha256(file, attributes, hashes);
        String pointer = lfsPointer(sha256, attributes.size());
        files.put(
            path,
            new Entry(path, file, attributes.size(), sha256, gitBlobId(pointer), pointer.length()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(new LocalRepository(files, commitOf(files)));
  }

  String commit() {
    return commit;
  }

  /** Whether {@code revision} names this snapshot: the default branch or the commit id. */
  boolean hasRevision(String revision) {
    return revision.equals(DEFAULT_BRANCH) || revision.equals(commit);
  }

  List<Entry> files() {
    return List.copyOf(files.values());
  }

  Optional<Entry> file(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** The folders that hold files, each once, in path order. */
  List<String> folders() {
    TreeMap<String, Boolean> folders = new TreeMap<>();
    for (String path : files.keySet()) {
      for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        folders.put(path.substring(0, slash), Boolean.TRUE);
      }
    }
    return new ArrayList<>(folders.keySet());
  }

  private static boolean isGitPath(String path) {
    return path.equals(".git") || path.startsWith(".git/") || path.contains("/.git/");
  }

  /** The pointer file git-lfs would commit in place of the content. */
  static String lfsPointer(String sha256, long size) {
    return "version https://git-lfs.github.com/spec/v1\noid sha256:"
        + sha256
        + "\nsize "
        + size
        + "\n";
  }

  static String gitBlobId(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    MessageDigest sha1 = digest("SHA-1");
    sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
    return HexFormat.of().formatHex(sha1.digest(bytes));
  }

  private static String commitOf(Map<String, Entry> files) {
    MessageDigest sha256 = digest("SHA-256");
    sha256.update(COMMIT_TAG);
    HexFormat hex = HexFormat.of();
    for (Entry entry : files.values()) {
      byte[] path = entry.path().getBytes(StandardCharsets.UTF_8);
      sha256.update(ByteBuffer.allocate(4).putInt(path.length).array());
      sha256.update(path);
      sha256.update(hex.parseHex(entry.sha256()));
    }
    return hex.formatHex(sha256.digest()).substring(0, 40);
  }

  /** A memoized digest, valid while the file keeps its size and modification time. */
  record Memo(long size, long modifiedMillis, String sha256) {}

  private static String sha256(Path file, BasicFileAttributes attributes, Map<Path, Memo> hashes)
      throws IOException {
    long modified = attributes.lastModifiedTime().toMillis();
    Memo memo = hashes.get(file);
    if (memo != null && memo.size() == attributes.size() && memo.modifiedMillis() == modified) {
      return memo.sha256();
    }
    MessageDigest sha256 = digest("SHA-256");
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        sha256.update(buffer, 0, n);
      }
    }
    String value = HexFormat.of().formatHex(sha256.digest());
    hashes.put(file, new Memo(attributes.size(), modified, value));
    return value;
  }

  static Map<Path, Memo> newMemo() {
    return new ConcurrentHashMap<>();
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is required of every Java platform", e);
    }
  }
}
