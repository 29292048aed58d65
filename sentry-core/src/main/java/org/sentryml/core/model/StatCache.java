package org.sentryml.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;
import org.sentryml.core.manifest.ModelFile;

/**
 * A local record of each model file's stat (device, inode, size, mtime and ctime in nanoseconds, as
 * git's index keeps), written when a model is signed and bound to that signature file's bytes.
 * {@code sentry sign --reuse} re-hashes only the files whose stat differs from it.
 *
 * <p>What it trusts (docs/USER_GUIDE.md): that a file whose inode, size, mtime and ctime are all
 * unchanged still holds the bytes it held when it was signed. Changing a file's contents updates
 * its ctime, which only the kernel sets, so only someone who can set the clock or write the block
 * device can get past it; and what it can get wrong is a signature over digests that the edited
 * file no longer matches, which verification (it never reuses anything) then refuses. Entries whose
 * mtime or ctime lie within {@link #RACY_NANOS} of the moment the cache was made are not trusted
 * (git's "racily clean" files): a write in that window might not have moved the timestamps.
 *
 * <p>The cache lives under {@code $XDG_CACHE_HOME/sentry/stat} (else {@code ~/.cache/sentry/stat}),
 * or the folder named by {@code -Dsentry.stat.cache}, one file per model path; it is never inside
 * the model.
 */
public final class StatCache {
  static final String FORMAT = "sentry-stat/v1";
  static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(2);
  static final long MAX_BYTES = 256L << 20;

  /** One file's stat. */
  public record Stat(long device, long inode, long size, long mtimeNanos, long ctimeNanos) {}

  private final long madeNanos;
  private final Map<String, Stat> files;

  private StatCache(long madeNanos, Map<String, Stat> files) {
    this.madeNanos = madeNanos;
    this.files = Map.copyOf(files);
  }

  /** The stat of {@code file}, without following a final link. */
  public static Stat stat(Path file) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(
            file, "unix:dev,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
    return new Stat(
        ((Number) a.get("dev")).longValue(),
        ((Number) a.get("ino")).longValue(),
        ((Number) a.get("size")).longValue(),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
  }

  /** Whether {@code name}'s recorded stat equals {@code now} and is not racily recorded. */
  public boolean unchanged(String name, Stat now) {
    Stat then = files.get(name);
    return then != null
        && then.equals(now)
        && Math.max(then.mtimeNanos(), then.ctimeNanos()) < madeNanos - RACY_NANOS;
  }

  /** The recorded size of {@code name}, if it has an entry. */
  public Optional<Long> size(String name) {
    Stat then = files.get(name);
    return then == null ? Optional.empty() : Optional.of(then.size());
  }

  /** The cache file for {@code model}. */
  static Path location(Path model) {
    String configured = System.getProperty("sentry.stat.cache");
    Path folder;
    if (configured != null) {
      folder = Path.of(configured);
    } else {
      String xdg = System.getenv("XDG_CACHE_HOME");
      folder =
          (xdg != null && !xdg.isEmpty()
                  ? Path.of(xdg)
                  : Path.of(System.getProperty("user.home"), ".cache"))
              .resolve("sentry")
              .resolve("stat");
    }
    byte[] id =
        HashAlgorithm.SHA256.hash(
            model.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
    return folder.resolve(HexFormat.of().formatHex(id) + ".json");
  }

  /**
   * The cache of {@code model} if there is one, readable, and bound to exactly {@code signature}
   * (the bytes of the signature file it was written with); otherwise empty, and every file is
   * re-hashed.
   */
  static Optional<StatCache> load(Path model, byte[] signature) {
    Path file = location(model);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      JsonFields root =
          new JsonFields(
              StrictJson.parseObject(
                  BoundedFiles.read(file, MAX_BYTES, "stat cache"), "stat cache " + file),
              "",
              "stat cache " + file);
      if (!FORMAT.equals(root.string("format"))
          || !root.string("signature_sha256").equals(hex(signature))) {
        return Optional.empty();
      }
      Map<String, Stat> files = new HashMap<>();
      JsonArray list = root.array("files");
      for (int i = 0; i < list.size(); i++) {
        JsonFields f = root.element("files", list, i);
        files.put(
            f.string("name"),
            new Stat(
                f.int64("dev"),
                f.int64("ino"),
                f.int64("size"),
                f.int64("mtime_ns"),
                f.int64("ctime_ns")));
      }
      return Optional.of(new StatCache(root.int64("made_ns"), files));
    } catch (SentryException e) {
      return Optional.empty(); // a damaged cache only costs a full re-hash
    }
  }

  /**
   * Records the stat of every file of a model just signed into {@code signature}. Best effort: a
   * cache that cannot be written only costs the next {@code --reuse} a full re-hash.
   *
   * @return whether the cache was written
   */
  static boolean record(Path model, List<ModelFile> modelFiles, byte[] signature) {
    long made = nowNanos();
    JsonArray list = new JsonArray();
    try {
      for (ModelFile f : modelFiles) {
        Stat s = stat(f.path());
        JsonObject entry = new JsonObject();
        entry.addProperty("name", f.name());
        entry.addProperty("dev", s.device());
        entry.addProperty("ino", s.inode());
        entry.addProperty("size", s.size());
        entry.addProperty("mtime_ns", s.mtimeNanos());
        entry.addProperty("ctime_ns", s.ctimeNanos());
        list.add(entry);
      }
      JsonObject root = new JsonObject();
      root.addProperty("format", FORMAT);
      root.addProperty("model", model.toAbsolutePath().normalize().toString());
      root.addProperty("signature_sha256", hex(signature));
      root.addProperty("made_ns", made);
      root.add("files", list);
      try (AtomicFile file = AtomicFile.create(location(model), AtomicFile.OWNER_ONLY)) {
        file.stream().write(root.toString().getBytes(StandardCharsets.UTF_8));
        file.commit();
      }
      return true;
    } catch (IOException | SentryException | UnsupportedOperationException e) {
      return false;
    }
  }

  static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static String hex(byte[] signature) {
    return HexFormat.of().formatHex(HashAlgorithm.SHA256.hash(signature));
  }
}
