package org.sentryml.confidential.encryption.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.StrictJson;

/**
 * The key-encryption key of a key store: a Tink keyset of AES-256-GCM keys, written as Tink's JSON
 * keyset format (what {@code tinkey create-keyset --key-template AES256_GCM --out-format json}
 * writes), held here only as its {@link Aead} primitive. It encrypts data keysets with their key id
 * as associated data (Tink's keyset encryption).
 *
 * <p>A master key file must be readable by its owner only: one that group or others may read is
 * refused, as ssh refuses such a private key. It is created with mode 0600 directly under its name
 * (never through a temporary file, so no copy of the key is left behind), and read through a
 * bounded read. No message, and no exception's cause, ever holds the key's text: a parse failure is
 * reported by the file's name alone. Immutable and thread-safe.
 */
public final class MasterKey {
  /** A Tink JSON keyset of a few keys is well under 1 KiB. */
  static final long MAX_FILE_BYTES = 64L << 10;

  private static final Set<PosixFilePermission> NOT_OWNER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink's AEAD cannot be registered", e);
    }
  }

  private final Aead aead;

  private MasterKey(Aead aead) {
    this.aead = aead;
  }

  /** The primitive that encrypts and decrypts data keysets. */
  Aead aead() {
    return aead;
  }

  /**
   * Creates a new master key in {@code file}, which must not exist, with mode 0600.
   *
   * @throws UsageException when the file exists; a path problem otherwise
   */
  static MasterKey createFile(Path file) {
    KeysetHandle keyset;
    byte[] text;
    try {
      keyset =
          KeysetHandle.generateNew(
              PredefinedAeadParameters.AES256_GCM, RegistryConfiguration.get());
      text =
          TinkJsonProtoKeysetFormat.serializeKeyset(
                  keyset, RegistryConfiguration.get(), InsecureSecretKeyAccess.get())
              .getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot generate an AES256_GCM key", e);
    }
    try {
      writeOwnerOnly(file, text);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
    return new MasterKey(primitive(keyset, "master key file " + file));
  }

  /**
   * Reads the master key in {@code file}.
   *
   * @throws SentryException {@link PathException} (permission) when group or others may read the
   *     file, {@link MalformedInputException} when it is not a Tink JSON keyset of AES-256-GCM
   *     keys, a path problem when it cannot be read
   */
  static MasterKey readFile(Path file) {
    BoundedFiles.checkRegularAndSize(file, MAX_FILE_BYTES, "master key file");
    checkOwnerOnly(file);
    byte[] bytes = BoundedFiles.read(file, MAX_FILE_BYTES, "master key file");
    try {
      return parse(bytes, "master key file " + file);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Reads a master key given as the text of a Tink JSON keyset, from {@code origin} (for messages).
   */
  static MasterKey fromText(String text, String origin) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      return parse(bytes, origin);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static MasterKey parse(byte[] utf8, String origin) {
    KeysetHandle keyset;
    try {
      keyset =
          TinkJsonProtoKeysetFormat.parseKeyset(
              StrictJson.decodeUtf8(utf8, origin),
              RegistryConfiguration.get(),
              InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | SentryException e) {
      // The cause is dropped on purpose: a parser's message may quote the text, i.e. the key.
      throw new MalformedInputException(
          origin
              + " is not a Tink JSON keyset (expected one of AES256_GCM keys, as"
              + " 'tinkey create-keyset --key-template AES256_GCM --out-format json' writes)");
    }
    return new MasterKey(primitive(keyset, origin));
  }

  private static Aead primitive(KeysetHandle keyset, String origin) {
    for (int i = 0; i < keyset.size(); i++) {
      Object parameters;
      try {
        parameters = keyset.getAt(i).getKey().getParameters();
      } catch (IllegalStateException e) {
        // Tink parses an entry's key material only when it is asked for it (found by fuzzing).
        throw new MalformedInputException(
            String.format(
                Locale.ROOT,
                "%s holds a key that does not parse (key %d of %d)",
                origin,
                i + 1,
                keyset.size()));
      }
      if (!(parameters instanceof AesGcmParameters gcm) || gcm.getKeySizeBytes() != 32) {
        throw new MalformedInputException(
            String.format(
                Locale.ROOT,
                "%s holds a key that is not AES256_GCM (key %d of %d)",
                origin,
                i + 1,
                keyset.size()));
      }
    }
    try {
      return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new MalformedInputException(origin + " has no usable AES256_GCM primitive");
    }
  }

  private static void checkOwnerOnly(Path file) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
    EnumSet<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(permissions);
    open.retainAll(NOT_OWNER);
    if (!open.isEmpty()) {
      throw new PathException(
          PathException.Kind.PERMISSION_DENIED,
          file,
          String.format(
              Locale.ROOT,
              "master key file %s is accessible to group or others (mode %s); it must be readable by its owner only:"
                  + " chmod 600 %s",
              file,
              PosixFilePermissions.toString(permissions),
              file),
          null);
    }
  }

  /**
   * Creates {@code file} new, owner-only from its first byte, writes {@code text} and forces it.
   */
  private static void writeOwnerOnly(Path file, byte[] text) {
    Path absolute = file.toAbsolutePath();
    boolean created = false;
    try {
      Files.createDirectories(absolute.getParent());
      try (FileChannel channel =
          FileChannel.open(
              absolute,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(AtomicFile.OWNER_ONLY))) {
        created = true;
        ByteBuffer bytes = ByteBuffer.wrap(text);
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
    } catch (FileAlreadyExistsException e) {
      throw new UsageException(
          "master key file " + file + " already exists; it is never replaced", e);
    } catch (IOException e) {
      if (created) {
        deleteQuietly(absolute);
      }
      throw PathProblems.classifyWrite(file, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A partial key file is refused as malformed when read; the write failure is the news.
    }
  }

  @Override
  public String toString() {
    return "MasterKey[AES256_GCM]";
  }
}
