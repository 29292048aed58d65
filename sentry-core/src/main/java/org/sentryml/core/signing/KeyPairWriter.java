package org.sentryml.core.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;

/**
 * Generates ECDSA key pairs and writes them as {@code private.pem} (unencrypted PKCS#8, owner
 * read/write only) and {@code public.pem} (SPKI) into a folder.
 *
 * <p>Each file is written to a temporary file in the target folder, flushed to disk and renamed
 * into place, so a reader never sees half a key. On POSIX file systems the private key's temporary
 * file is created with mode 0600, so the key is never readable by others, not even briefly;
 * elsewhere it inherits the folder's access rules. Stateless and thread-safe.
 */
public final class KeyPairWriter {
  /** File name of the private key. */
  public static final String PRIVATE_KEY_FILE = "private.pem";

  /** File name of the public key. */
  public static final String PUBLIC_KEY_FILE = "public.pem";

  /** The files a call wrote. */
  public record KeyPairFiles(Path privateKey, Path publicKey) {
    public KeyPairFiles {
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(publicKey, "publicKey");
    }
  }

  private KeyPairWriter() {}

  /** A fresh key pair on {@code curve} from the JDK's default strong random source. */
  public static KeyPair generate(EcCurve curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve.jcaName()), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the JDK cannot generate " + curve.displayName() + " keys", e);
    }
  }

  /**
   * Generates a key pair on {@code curve} and writes it into {@code folder}, creating the folder if
   * needed.
   *
   * @param force replace existing key files; without it, an existing {@code private.pem} or {@code
   *     public.pem} stops the call before anything is written
   * @throws UsageException when a key file exists and {@code force} is off; an I/O code when the
   *     folder cannot be written
   */
  public static KeyPairFiles generateInto(EcCurve curve, Path folder, boolean force) {
    return write(generate(curve), folder, force);
  }

  /**
   * Writes {@code keys} into {@code folder} as {@code private.pem} and {@code public.pem}.
   *
   * @throws SentryException as {@link #generateInto}; {@link MalformedInputException} for keys that
   *     are not P-256, P-384 or P-521
   */
  public static KeyPairFiles write(KeyPair keys, Path folder, boolean force) {
    EcCurve.of(keys.getPublic());
    if (EcCurve.find(keys.getPrivate()).isEmpty()) {
      throw new MalformedInputException(
          "cannot write a " + EcCurve.describe(keys.getPrivate()) + " as an ECDSA private key");
    }
    Path privateFile = folder.resolve(PRIVATE_KEY_FILE);
    Path publicFile = folder.resolve(PUBLIC_KEY_FILE);
    if (!force) {
      refuseExisting(privateFile);
      refuseExisting(publicFile);
    }
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new UsageException(
          String.format(Locale.ROOT, "cannot write keys into %s: it is not a folder", folder));
    }
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw writeFailure(folder, e);
    }
    byte[] privatePem = pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    try {
      writeAtomically(privateFile, privatePem, AtomicFile.OWNER_ONLY, force);
    } finally {
      Arrays.fill(privatePem, (byte) 0);
    }
    writeAtomically(
        publicFile, pem("PUBLIC KEY", keys.getPublic().getEncoded()), AtomicFile.PUBLIC, force);
    return new KeyPairFiles(privateFile, publicFile);
  }

  private static void refuseExisting(Path file) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          String.format(
              Locale.ROOT, "refusing to overwrite existing %s; pass --force to replace it", file));
    }
  }

  private static void writeAtomically(
      Path target, byte[] content, Set<PosixFilePermission> permissions, boolean replace) {
    try (AtomicFile file = AtomicFile.create(target, permissions)) {
      file.stream().write(content);
      file.commit(replace);
    } catch (IOException e) {
      throw writeFailure(target, e);
    }
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    String text = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static SentryException writeFailure(Path path, IOException e) {
    return PathProblems.classifyWrite(path, e);
  }
}
