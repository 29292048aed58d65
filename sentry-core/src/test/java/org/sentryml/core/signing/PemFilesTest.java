package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.testkit.PemText;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestVectors;

class PemFilesTest {
  private static final byte[] MESSAGE = {1, 2, 3};

  @TempDir Path dir;

  private Path write(String name, byte[] content) {
    return TestFiles.write(dir.resolve(name), content);
  }

  private Path write(String name, String content) {
    return write(name, content.getBytes(StandardCharsets.US_ASCII));
  }

  private static SentryException failure(
      Class<? extends SentryException> expected, org.junit.jupiter.api.function.Executable call) {
    SentryException e = assertThrows(SentryException.class, call);
    assertInstanceOf(expected, e, e.getMessage());
    return e;
  }

  private static void assertMentions(SentryException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
    }
  }

  /** Signs with the loaded private key and checks with the original public key. */
  private static void assertSameKeyPair(PrivateKey loaded, KeyPair original) {
    assertTrue(Ecdsa.verify(original.getPublic(), MESSAGE, Ecdsa.sign(loaded, MESSAGE)));
  }

  /** SEC1 {@code ECPrivateKey} of a P-256 key, naming {@code curve} unless it is null. */
  private static byte[] sec1(KeyPair keys, ASN1ObjectIdentifier curve) throws IOException {
    BigInteger s = ((ECPrivateKey) keys.getPrivate()).getS();
    return (curve == null
            ? new org.bouncycastle.asn1.sec.ECPrivateKey(256, s)
            : new org.bouncycastle.asn1.sec.ECPrivateKey(256, s, curve))
        .getEncoded();
  }

  private static byte[] encryptedPkcs8(PrivateKey key, char[] password) throws Exception {
    JceOpenSSLPKCS8EncryptorBuilder encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC);
    encryptor.setProvider(new BouncyCastleProvider());
    encryptor.setPassword(password);
    encryptor.setIterationCount(2048);
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(key, encryptor.build()));
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest
  @EnumSource(EcCurve.class)
  void pkcs8PrivateKeyLoadsOnEveryCurve(EcCurve curve) {
    KeyPair keys = KeyPairWriter.generate(curve);
    Path file = write("key.pem", PemText.block("PRIVATE KEY", keys.getPrivate().getEncoded()));
    PrivateKey loaded = PemFiles.readPrivateKey(file, null);
    assertEquals(curve, EcCurve.find(loaded).orElseThrow());
    assertSameKeyPair(loaded, keys);
  }

  @Test
  void sec1PrivateKeyLoadsAlsoAfterAnEcParametersBlock() throws Exception {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    byte[] sec1 = sec1(keys, SECObjectIdentifiers.secp256r1);
    assertSameKeyPair(
        PemFiles.readPrivateKey(write("sec1.pem", PemText.block("EC PRIVATE KEY", sec1)), null),
        keys);
    // `openssl ecparam -genkey` writes the curve OID in its own block first.
    byte[] params = SECObjectIdentifiers.secp256r1.getEncoded();
    byte[] both =
        concat(PemText.block("EC PARAMETERS", params), PemText.block("EC PRIVATE KEY", sec1));
    assertSameKeyPair(PemFiles.readPrivateKey(write("openssl.pem", both), null), keys);
  }

  @Test
  void sec1KeyWithoutCurveParametersIsBadInput() throws Exception {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    byte[] bare = sec1(keys, null);
    Path file = write("bare.pem", PemText.block("EC PRIVATE KEY", bare));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(file, null)),
        file.toString(),
        "does not name its curve");
  }

  @Test
  void encryptedPkcs8LoadsWithTheRightPassword() throws Exception {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P384);
    char[] password = "correct horse".toCharArray();
    Path file = write("enc.pem", encryptedPkcs8(keys.getPrivate(), password));
    assertTrue(Files.readString(file).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assertSameKeyPair(PemFiles.readPrivateKey(file, password), keys);
    assertArrayEquals("correct horse".toCharArray(), password, "password left as given");
  }

  @Test
  void encryptedPkcs8WithAWrongPasswordIsBadInputSayingSo() throws Exception {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    Path file = write("enc.pem", encryptedPkcs8(keys.getPrivate(), "right".toCharArray()));
    // Several wrong passwords, so that one passing the padding check by chance is covered too.
    for (int i = 0; i < 20; i++) {
      char[] wrong = ("wrong-" + i).toCharArray();
      assertMentions(
          failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(file, wrong)),
          file.toString(),
          "wrong password");
    }
  }

  @Test
  void encryptedPkcs8WithoutAPasswordIsBadInputSayingOneIsNeeded() throws Exception {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    Path file = write("enc.pem", encryptedPkcs8(keys.getPrivate(), "right".toCharArray()));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(file, null)),
        file.toString(),
        "encrypted",
        "no password");
  }

  @Test
  void passwordForAnUnencryptedKeyIsAUsageError() {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    Path file = write("key.pem", PemText.block("PRIVATE KEY", keys.getPrivate().getEncoded()));
    assertMentions(
        failure(UsageException.class, () -> PemFiles.readPrivateKey(file, "x".toCharArray())),
        file.toString(),
        "unencrypted");
  }

  @Test
  void legacyOpenSslEncryptionIsBadInputWithAHint() {
    Path file =
        write(
            "legacy.pem",
            """
        -----BEGIN EC PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF

        AAAA
        -----END EC PRIVATE KEY-----
        """);
    assertMentions(
        failure(
            MalformedInputException.class, () -> PemFiles.readPrivateKey(file, "p".toCharArray())),
        file.toString(),
        "Proc-Type",
        "openssl pkcs8");
  }

  @Test
  void publicKeyLoadsAndMatchesThePrivateKey() {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P521);
    Path file = write("pub.pem", PemText.block("PUBLIC KEY", keys.getPublic().getEncoded()));
    assertEquals(keys.getPublic(), PemFiles.readPublicKey(file));
  }

  @Test
  void certificatesLoadInFileOrder() throws Exception {
    Path leaf = TestVectors.path("oms-spec/keys/signing-key-cert.pem");
    Path intermediate = TestVectors.path("oms-spec/keys/int-ca-cert.pem");
    Path chain =
        write("chain.pem", concat(Files.readAllBytes(leaf), Files.readAllBytes(intermediate)));
    List<X509Certificate> certificates = PemFiles.readCertificates(chain);
    assertEquals(2, certificates.size());
    assertEquals(PemFiles.readCertificates(leaf).get(0), certificates.get(0));
    assertEquals(PemFiles.readCertificates(intermediate).get(0), certificates.get(1));
  }

  @Test
  void garbageIsBadInputNamingTheFile() {
    Path file = write("garbage.pem", "this is not a key\n\u0001\u0002 at all\n");
    for (SentryException e :
        List.of(
            failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(file, null)),
            failure(MalformedInputException.class, () -> PemFiles.readPublicKey(file)),
            failure(MalformedInputException.class, () -> PemFiles.readCertificates(file)))) {
      assertMentions(e, file.toString(), "not a PEM file");
    }
  }

  @Test
  void binaryDerIsBadInput() {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    Path file = write("key.der", keys.getPrivate().getEncoded());
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(file, null)),
        file.toString());
  }

  @Test
  void emptyFileIsBadInput() {
    Path file = write("empty.pem", new byte[0]);
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPublicKey(file)),
        file.toString(),
        "empty");
    Path blank = write("blank.pem", "\n  \n");
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readCertificates(blank)),
        blank.toString(),
        "empty");
  }

  @Test
  void fileCutOffBeforeItsEndLineIsBadInput() {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    String pem =
        new String(
            PemText.block("PRIVATE KEY", keys.getPrivate().getEncoded()),
            StandardCharsets.US_ASCII);
    Path file = write("cut.pem", pem.substring(0, pem.length() / 2));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(file, null)),
        file.toString(),
        "malformed PEM");
  }

  @Test
  void truncatedBase64BodyIsBadInput() {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P384);
    byte[] der = keys.getPrivate().getEncoded();
    // Whole base64 quanta dropped from the end: valid base64, truncated DER.
    Path shortDer =
        write("short.pem", PemText.block("PRIVATE KEY", Arrays.copyOf(der, der.length - 12)));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(shortDer, null)),
        shortDer.toString(),
        "'PRIVATE KEY'");
    // A body cut in the middle of a base64 quantum.
    String pem =
        new String(
            PemText.block("PUBLIC KEY", keys.getPublic().getEncoded()), StandardCharsets.US_ASCII);
    String body = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END"));
    String cut =
        "-----BEGIN PUBLIC KEY-----\n"
            + body.substring(0, body.length() / 2 + 1)
            + "\n-----END PUBLIC KEY-----\n";
    Path halfQuantum = write("half.pem", cut);
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPublicKey(halfQuantum)),
        halfQuantum.toString());
  }

  @Test
  void trailingBytesAfterTheKeyAreBadInput() {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    byte[] der = keys.getPublic().getEncoded();
    Path file =
        write("trailing.pem", PemText.block("PUBLIC KEY", Arrays.copyOf(der, der.length + 3)));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPublicKey(file)),
        file.toString());
  }

  @Test
  void certificateWhereAKeyIsExpectedIsBadInputSayingWhatWasFound() {
    Path cert = TestVectors.path("oms-spec/keys/signing-key-cert.pem");
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(cert, null)),
        cert.toString(),
        "'CERTIFICATE'",
        "private key");
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPublicKey(cert)),
        cert.toString(),
        "'CERTIFICATE'",
        "public key");
  }

  @Test
  void keyWhereCertificatesAreExpectedIsBadInput() {
    Path key = TestVectors.path("oms-spec/keys/signing-key-pub.pem");
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readCertificates(key)),
        key.toString(),
        "'PUBLIC KEY'",
        "certificates");
  }

  @Test
  void publicKeyWhereAPrivateKeyIsExpectedIsBadInput() {
    Path key = TestVectors.path("oms-spec/keys/signing-key-pub.pem");
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(key, null)),
        key.toString(),
        "'PUBLIC KEY'");
  }

  @Test
  void twoPrivateKeysInOneFileAreBadInput() {
    byte[] one =
        PemText.block(
            "PRIVATE KEY", KeyPairWriter.generate(EcCurve.P256).getPrivate().getEncoded());
    Path file = write("two.pem", concat(one, one));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(file, null)),
        file.toString(),
        "exactly one");
  }

  @Test
  void rsaKeysAreBadInputNamingTheAlgorithm() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair keys = rsa.generateKeyPair();
    Path priv = write("rsa.pem", PemText.block("PRIVATE KEY", keys.getPrivate().getEncoded()));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPrivateKey(priv, null)),
        priv.toString(),
        "RSA");
    Path pub = write("rsa-pub.pem", PemText.block("PUBLIC KEY", keys.getPublic().getEncoded()));
    assertMentions(
        failure(MalformedInputException.class, () -> PemFiles.readPublicKey(pub)),
        pub.toString(),
        "RSA");
  }

  @Test
  void missingFileIsPathNotFound() {
    Path missing = dir.resolve("nope.pem");
    assertMentions(
        failure(PathException.class, () -> PemFiles.readPublicKey(missing)), missing.toString());
  }

  @Test
  void folderIsNotARegularFile() {
    assertMentions(
        failure(PathException.class, () -> PemFiles.readCertificates(dir)), dir.toString());
  }

  @Test
  void messagesNeverContainKeyMaterial() throws IOException {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P256);
    String pem =
        new String(
            PemText.block("PRIVATE KEY", keys.getPrivate().getEncoded()),
            StandardCharsets.US_ASCII);
    Path file = write("key.pem", pem);
    SentryException e =
        failure(UsageException.class, () -> PemFiles.readPrivateKey(file, "pw".toCharArray()));
    String firstBodyLine = pem.split("\n", -1)[1];
    assertTrue(!e.getMessage().contains(firstBodyLine.substring(0, 16)), e.getMessage());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
