package org.sentryml.confidential.encryption.keys;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * The local key store: one data keyset per artifact version, each in its own file, encrypted under
 * the master key with its key id as associated data (Tink's keyset encryption). Layout:
 *
 * <pre>
 * DIR/                       mode 0700
 *   sentry-keystore.json     format, and a check ciphertext that tells a wrong master key at once
 *   master.key               only when it is the embedded default (mode 0600)
 *   lock                     held while a key is created or rotated
 *   keys/                    mode 0700
 *     model-mnist-cnn@3.json one per key id (see KeyFile)
 * </pre>
 *
 * <p>There is no index: the keys are the files of {@code keys/}, each written atomically, so a
 * process killed while creating or rotating a key leaves every earlier key as it was (at worst a
 * hidden temporary file that holds an encrypted keyset, which is ignored). Creating and rotating
 * take the store's lock, so two processes never rotate one key at once and lose a key.
 *
 * <p>Thread-safe. Keys leave only as {@link StreamingAead} primitives; no message names key bytes.
 */
public final class KeyStore implements DataKeys {
  /** The file that makes a folder a key store. */
  public static final String MARKER = "sentry-keystore.json";

  static final String FORMAT = "https://sentryml.org/key-store/v1";
  static final String KEYS = "keys";
  static final String LOCK = "lock";

  /** Associated data of the master-key check, so that it can be nothing but that check. */
  private static final byte[] CHECK_CONTEXT =
      (FORMAT + "#master-key-check").getBytes(StandardCharsets.UTF_8);

  private static final long MAX_MARKER_BYTES = 64L << 10;

  private final Path folder;
  private final MasterKey master;
  private final MasterKeySource source;

  private KeyStore(Path folder, MasterKey master, MasterKeySource source) {
    this.folder = folder;
    this.master = master;
    this.source = source;
  }

  /** The result of {@link #init}: the store, and whether its master key was created by it. */
  public record Initialized(KeyStore store, boolean masterKeyCreated) {}

  /**
   * Makes {@code folder} a key store whose keysets the master key from {@code source} encrypts;
   * that key is created (mode 0600) when its file does not exist yet, else read.
   *
   * @throws UsageException when {@code folder} is a key store already
   */
  public static Initialized init(Path folder, MasterKeySource source) {
    Path marker = folder.resolve(MARKER);
    if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(folder + " is a key store already (it holds " + MARKER + ")");
    }
    createOwnerOnlyFolder(folder);
    boolean created = !source.exists();
    MasterKey master = created ? source.create() : source.load();
    createOwnerOnlyFolder(folder.resolve(KEYS));
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty(
        "master_key_check",
        Base64.getEncoder().encodeToString(encrypt(master, new byte[0], CHECK_CONTEXT)));
    try (AtomicFile out = AtomicFile.create(marker, AtomicFile.OWNER_ONLY)) {
      out.stream().write((json + "\n").getBytes(StandardCharsets.UTF_8));
      out.commit(false);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(marker, e);
    }
    return new Initialized(new KeyStore(folder, master, source), created);
  }

  /**
   * Opens the key store {@code folder} with the master key from {@code source}.
   *
   * @throws org.sentryml.core.errors.SentryException {@link PathException} (not found) when the
   *     folder is no key store, {@link VerificationFailedException} when the master key is not the
   *     store's, the master key's own failures
   */
  public static KeyStore open(Path folder, MasterKeySource source) {
    JsonFields marker = marker(folder);
    MasterKey master = source.load();
    byte[] check = marker.base64("master_key_check");
    try {
      master.aead().decrypt(check, CHECK_CONTEXT);
    } catch (GeneralSecurityException e) {
      throw new VerificationFailedException(
          "the "
              + source
              + " does not open key store "
              + folder
              + ": it is not the master key the store was created with");
    }
    return new KeyStore(folder, master, source);
  }

  /**
   * Every key of the store {@code folder}, by id, read without the master key (ids and times are in
   * clear; the keysets stay encrypted).
   */
  public static List<KeyInfo> list(Path folder) {
    marker(folder);
    Path keys = folder.resolve(KEYS);
    List<KeyInfo> infos = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(keys, KeyStore::isKeyFile)) {
      for (Path file : files) {
        infos.add(KeyFile.read(file).info());
      }
    } catch (IOException e) {
      throw PathProblems.classify(keys, e);
    }
    infos.sort(Comparator.comparing(info -> info.id().toString()));
    return List.copyOf(infos);
  }

  /** The file that holds (or would hold) key {@code id}. */
  public Path keyFile(KeyId id) {
    return folder.resolve(KEYS).resolve(KeyFile.fileName(id));
  }

  /**
   * Creates the data key {@code id}: a new keyset of one {@link StreamingScheme} key.
   *
   * @throws UsageException when the key exists
   */
  public KeyInfo create(KeyId id) {
    StoreLock lock = lock();
    try {
      return createLocked(id);
    } finally {
      lock.release();
    }
  }

  /**
   * Creates the data key {@code id} unless it exists.
   *
   * @return whether it was created
   */
  public boolean createIfAbsent(KeyId id) {
    StoreLock lock = lock();
    try {
      if (Files.exists(keyFile(id), LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      createLocked(id);
      return true;
    } finally {
      lock.release();
    }
  }

  /**
   * Adds a new primary key to the keyset of {@code id}; the earlier keys stay, so everything
   * encrypted before still decrypts, and everything encrypted from now on uses the new key. The key
   * file is replaced atomically.
   */
  public KeyInfo rotate(KeyId id) {
    StoreLock lock = lock();
    try {
      Path file = existingKeyFile(id);
      KeyFile.Contents old = KeyFile.read(file);
      KeysetHandle rotated = StreamingScheme.rotate(decryptKeyset(file, old));
      KeyFile.Contents contents =
          new KeyFile.Contents(
              id, old.created(), now(), rotated.size(), encryptKeyset(rotated, id));
      KeyFile.write(file, contents, true);
      return contents.info();
    } finally {
      lock.release();
    }
  }

  /**
   * The primitive of data key {@code id}.
   *
   * @throws org.sentryml.core.errors.SentryException {@link PathException} (not found) naming the
   *     key file when the store has no such key; {@link VerificationFailedException} when the key
   *     file does not authenticate under the master key; malformed input for a broken key file
   */
  @Override
  public StreamingAead streamingAead(KeyId id) {
    Path file = existingKeyFile(id);
    return StreamingScheme.primitive(decryptKeyset(file, KeyFile.read(file)), file);
  }

  /**
   * The keyset of data key {@code id}, for a key server that releases it (encrypted to an attested
   * host's key) and nothing else; failures as {@link #streamingAead}.
   */
  public KeysetHandle keyset(KeyId id) {
    Path file = existingKeyFile(id);
    KeysetHandle keyset = decryptKeyset(file, KeyFile.read(file));
    StreamingScheme.primitive(keyset, file);
    return keyset;
  }

  private KeyInfo createLocked(KeyId id) {
    KeysetHandle keyset = StreamingScheme.newKeyset();
    KeyFile.Contents contents =
        new KeyFile.Contents(id, now(), null, keyset.size(), encryptKeyset(keyset, id));
    KeyFile.write(keyFile(id), contents, false);
    return contents.info();
  }

  private Path existingKeyFile(KeyId id) {
    Path file = keyFile(id);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new PathException(
          PathException.Kind.NOT_FOUND,
          file,
          "key store " + folder + " holds no key " + id + " (no " + file + ")",
          null);
    }
    return file;
  }

  private String encryptKeyset(KeysetHandle keyset, KeyId id) {
    try {
      return StreamingScheme.encryptKeyset(keyset, master.aead(), associatedData(id));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot encrypt a keyset under the master key", e);
    }
  }

  private KeysetHandle decryptKeyset(Path file, KeyFile.Contents contents) {
    try {
      return StreamingScheme.decryptKeyset(
          contents.encryptedKeyset(), master.aead(), associatedData(contents.id()));
    } catch (GeneralSecurityException e) {
      throw new VerificationFailedException(
          "key file "
              + file
              + " fails authentication under the "
              + source
              + ": it was changed, or copied from another key id");
    }
  }

  private static byte[] associatedData(KeyId id) {
    return id.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] encrypt(MasterKey master, byte[] plaintext, byte[] associatedData) {
    try {
      return master.aead().encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the master key cannot encrypt", e);
    }
  }

  /**
   * Serializes creations and rotations across processes; the OS releases it if the process dies.
   */
  private StoreLock lock() {
    Path file = folder.resolve(LOCK);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(AtomicFile.OWNER_ONLY));
      channel.lock();
      return new StoreLock(channel);
    } catch (IOException e) {
      closeQuietly(channel);
      throw PathProblems.classifyWrite(file, e);
    }
  }

  /** The store's lock while held; closing the channel releases it. */
  private record StoreLock(FileChannel channel) {
    void release() {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // Closing releases the lock; nothing was written through this channel.
    }
  }

  private static JsonFields marker(Path folder) {
    Path marker = folder.resolve(MARKER);
    if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      throw new PathException(
          PathException.Kind.NOT_FOUND,
          folder,
          folder
              + " is not a key store (no "
              + MARKER
              + "; create one with 'sentry keys init --store "
              + folder
              + "')",
          null);
    }
    String what = "key store marker " + marker;
    JsonFields json =
        new JsonFields(
            StrictJson.parseObject(
                BoundedFiles.read(marker, MAX_MARKER_BYTES, "key store marker"), what),
            "",
            what);
    String format = json.string("format");
    if (!format.equals(FORMAT)) {
      throw json.error("format", "must be " + FORMAT + ", got " + format);
    }
    return json;
  }

  private static boolean isKeyFile(Path file) {
    String name = file.getFileName().toString();
    return !name.startsWith(".") && name.endsWith(".json");
  }

  private static void createOwnerOnlyFolder(Path folder) {
    try {
      Files.createDirectories(folder.toAbsolutePath().getParent());
      Files.createDirectory(
          folder,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(folder)) {
        throw new PathException(
            PathException.Kind.NOT_A_REGULAR_FILE,
            folder,
            folder + " exists and is not a folder",
            e);
      }
    } catch (IOException e) {
      throw PathProblems.classifyWrite(folder, e);
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }
}
