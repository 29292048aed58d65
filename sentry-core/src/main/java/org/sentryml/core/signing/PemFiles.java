package org.sentryml.core.signing;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.BoundedFiles;

/**
 * Reads ECDSA keys and X.509 certificates from PEM files.
 *
 * <p>Private keys may be PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}, optionally
 * after an {@code EC PARAMETERS} block) or password-protected PKCS#8 ({@code ENCRYPTED PRIVATE
 * KEY}, PBES2 and the other schemes Bouncy Castle decrypts). Public keys are SPKI ({@code PUBLIC
 * KEY}). Keys must be on P-256, P-384 or P-521; they come back as JDK key objects.
 *
 * <p>Every failure is a {@link SentryException} whose message names the file: {@link
 * MalformedInputException} for content that is not what was asked for (not PEM, empty, truncated,
 * the wrong kind of block, another key type, a wrong or missing password), the codes of {@link
 * PathProblems} for files that cannot be read. Messages never contain key material. Stateless and
 * thread-safe.
 */
public final class PemFiles {
  private static final String PRIVATE_KEY = "PRIVATE KEY";
  private static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
  private static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
  private static final String EC_PARAMETERS = "EC PARAMETERS";
  private static final String PUBLIC_KEY = "PUBLIC KEY";
  private static final String CERTIFICATE = "CERTIFICATE";

  private static final Set<String> PRIVATE_KEY_TYPES =
      Set.of(PRIVATE_KEY, EC_PRIVATE_KEY, ENCRYPTED_PRIVATE_KEY);

  private static final Map<String, String> KEY_ALGORITHM_NAMES =
      Map.of(
          "1.2.840.113549.1.1.1", "RSA",
          "1.2.840.10040.4.1", "DSA",
          "1.3.101.112", "Ed25519",
          "1.3.101.113", "Ed448");

  private PemFiles() {}

  /**
   * Reads the one private key in {@code file}.
   *
   * @param password the password of an {@code ENCRYPTED PRIVATE KEY}; {@code null} when none was
   *     given. The array is not kept or cleared.
   * @throws MalformedInputException for unusable content or a wrong or missing password, {@link
   *     UsageException} for a password given with an unencrypted key
   */
  public static PrivateKey readPrivateKey(Path file, char @Nullable [] password) {
    PemObject block =
        single(
            file,
            blocks(file),
            PRIVATE_KEY_TYPES,
            Set.of(EC_PARAMETERS),
            "a private key ('PRIVATE KEY', 'EC PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY')");
    if (block.getType().equals(ENCRYPTED_PRIVATE_KEY)) {
      if (password == null) {
        throw badInput("%s holds an encrypted private key, but no password was given", file);
      }
      return ecPrivateKey(file, decrypt(file, block.getContent(), password));
    }
    if (isLegacyEncrypted(block)) {
      throw badInput(
          "%s holds an OpenSSL-encrypted 'EC PRIVATE KEY' (Proc-Type: 4,ENCRYPTED), "
              + "which is not supported; convert it to an 'ENCRYPTED PRIVATE KEY' "
              + "(openssl pkcs8 -topk8 -v2 aes-256-cbc)",
          file);
    }
    if (password != null) {
      throw new UsageException(
          String.format(
              Locale.ROOT, "%s holds an unencrypted private key, but a password was given", file));
    }
    PrivateKeyInfo info =
        block.getType().equals(PRIVATE_KEY)
            ? parse(file, block, () -> PrivateKeyInfo.getInstance(der(block)))
            : parse(file, block, () -> fromSec1(der(block)));
    return ecPrivateKey(file, info);
  }

  /**
   * Reads the one SPKI public key ({@code PUBLIC KEY}) in {@code file}.
   *
   * @throws MalformedInputException for unusable content
   */
  public static PublicKey readPublicKey(Path file) {
    PemObject block =
        single(file, blocks(file), Set.of(PUBLIC_KEY), Set.of(), "a public key ('PUBLIC KEY')");
    SubjectPublicKeyInfo info =
        parse(file, block, () -> SubjectPublicKeyInfo.getInstance(der(block)));
    requireEc(file, "public", info.getAlgorithm());
    PublicKey key =
        parse(
            file,
            block,
            () ->
                KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(info.getEncoded())));
    return requireCurve(file, "public", key);
  }

  /**
   * Reads the X.509 certificates in {@code file}, in file order; every block must be a {@code
   * CERTIFICATE}, and there must be at least one.
   *
   * @throws MalformedInputException for unusable content
   */
  public static List<X509Certificate> readCertificates(Path file) {
    List<PemObject> blocks = blocks(file);
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemObject block : blocks) {
      if (!block.getType().equals(CERTIFICATE)) {
        throw badInput(
            "%s holds a '%s' block where only certificates ('CERTIFICATE') were " + "expected",
            file, block.getType());
      }
      certificates.add(
          parse(
              file,
              block,
              () -> {
                byte[] der = der(block);
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
              }));
    }
    return List.copyOf(certificates);
  }

  /** The PEM blocks of a file; at least one. */
  private static List<PemObject> blocks(Path file) {
    String text = new String(bytes(file), StandardCharsets.ISO_8859_1);
    if (text.isBlank()) {
      throw badInput("%s is empty; expected PEM", file);
    }
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(text))) {
      for (PemObject block = reader.readPemObject();
          block != null;
          block = reader.readPemObject()) {
        blocks.add(block);
      }
    } catch (IOException | RuntimeException e) {
      throw badInput("malformed PEM in %s: %s", file, reason(e));
    }
    if (blocks.isEmpty()) {
      throw badInput("%s is not a PEM file: no '-----BEGIN' line", file);
    }
    return blocks;
  }

  private static byte[] bytes(Path file) {
    return BoundedFiles.read(file, BoundedFiles.MAX_PEM_BYTES, "PEM file");
  }

  private static PemObject single(
      Path file, List<PemObject> blocks, Set<String> wanted, Set<String> tolerated, String what) {
    List<PemObject> matches = blocks.stream().filter(b -> wanted.contains(b.getType())).toList();
    List<String> others =
        blocks.stream()
            .map(PemObject::getType)
            .filter(type -> !wanted.contains(type) && !tolerated.contains(type))
            .toList();
    if (matches.isEmpty() || !others.isEmpty()) {
      String found =
          blocks.stream().map(b -> "'" + b.getType() + "'").collect(Collectors.joining(", "));
      throw badInput("%s holds %s where %s was expected", file, found, what);
    }
    if (matches.size() > 1) {
      throw badInput("%s holds %d keys; expected exactly one", file, matches.size());
    }
    return matches.get(0);
  }

  private static boolean isLegacyEncrypted(PemObject block) {
    for (Object header : block.getHeaders()) {
      PemHeader pemHeader = (PemHeader) header;
      if (pemHeader.getName().equalsIgnoreCase("Proc-Type")
          && pemHeader.getValue().toUpperCase(Locale.ROOT).contains("ENCRYPTED")) {
        return true;
      }
    }
    return false;
  }

  private static PrivateKeyInfo decrypt(Path file, byte[] der, char[] password) {
    PKCS8EncryptedPrivateKeyInfo encrypted;
    try {
      encrypted = new PKCS8EncryptedPrivateKeyInfo(ASN1Primitive.fromByteArray(der).getEncoded());
    } catch (IOException | RuntimeException e) {
      throw badInput("malformed 'ENCRYPTED PRIVATE KEY' in %s: %s", file, reason(e));
    }
    String scheme = encrypted.getEncryptionAlgorithm().getAlgorithm().getId();
    InputDecryptorProvider decryptor;
    try {
      decryptor =
          new JceOpenSSLPKCS8DecryptorProviderBuilder()
              .setProvider(BouncyCastle.PROVIDER)
              .build(password);
    } catch (OperatorCreationException e) {
      throw badInput("cannot decrypt the private key in %s: %s", file, reason(e));
    }
    try {
      PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(decryptor);
      // A wrong password slips past the padding check about once in 256 tries; the structure
      // check below catches those.
      info.getPrivateKeyAlgorithm().getAlgorithm();
      info.parsePrivateKey();
      return info;
    } catch (PKCSException | IOException | RuntimeException e) {
      if (isUnsupportedScheme(e)) {
        throw badInput(
            "cannot decrypt the private key in %s: unsupported encryption scheme %s", file, scheme);
      }
      throw badInput(
          "cannot decrypt the private key in %s: wrong password (or corrupt data)", file);
    }
  }

  private static boolean isUnsupportedScheme(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OperatorCreationException || t instanceof NoSuchAlgorithmException) {
        return true;
      }
    }
    return false;
  }

  private static PrivateKeyInfo fromSec1(byte[] der) throws IOException {
    ECPrivateKey sec1 = ECPrivateKey.getInstance(der);
    ASN1Encodable curve = sec1.getParametersObject();
    if (curve == null) {
      throw new IllegalArgumentException("the key does not name its curve");
    }
    return new PrivateKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1);
  }

  private static PrivateKey ecPrivateKey(Path file, PrivateKeyInfo info) {
    requireEc(file, "private", info.getPrivateKeyAlgorithm());
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw badInput("unreadable EC private key in %s: %s", file, reason(e));
    }
    return requireCurve(file, "private", key);
  }

  private static void requireEc(Path file, String kind, AlgorithmIdentifier algorithm) {
    ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
    if (!oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      String name = KEY_ALGORITHM_NAMES.getOrDefault(oid.getId(), "algorithm " + oid.getId());
      throw badInput(
          "%s holds a %s %s key; expected an ECDSA P-256, P-384 or P-521 key", file, name, kind);
    }
    if (algorithm.getParameters() instanceof ASN1ObjectIdentifier curve
        && EcCurve.byOid(curve.getId()).isEmpty()) {
      throw badInput(
          "%s holds an EC %s key on unsupported curve %s; expected P-256, P-384 or " + "P-521",
          file, kind, curve.getId());
    }
  }

  private static <K extends Key> K requireCurve(Path file, String kind, K key) {
    if (EcCurve.find(key).isEmpty()) {
      throw badInput(
          "%s holds an %s; expected P-256, P-384 or P-521 (%s key)",
          file, EcCurve.describe(key), kind);
    }
    return key;
  }

  private static byte[] der(PemObject block) throws IOException {
    // fromByteArray rejects truncated encodings and trailing bytes.
    return ASN1Primitive.fromByteArray(block.getContent()).getEncoded();
  }

  private static <T> T parse(Path file, PemObject block, Parser<T> parser) {
    try {
      return parser.parse();
    } catch (SentryException e) {
      throw e;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw badInput("malformed '%s' block in %s: %s", block.getType(), file, reason(e));
    }
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @FormatMethod
  private static SentryException badInput(@FormatString String format, Object... args) {
    return new MalformedInputException(String.format(Locale.ROOT, format, args));
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse() throws IOException, GeneralSecurityException;
  }

  /** Created on first use: constructing the provider costs tens of milliseconds. */
  private static final class BouncyCastle {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
