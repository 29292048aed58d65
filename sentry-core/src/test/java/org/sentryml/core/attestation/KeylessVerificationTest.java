package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.core.attestation.AttestationFixtures.assertBadInput;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.testkit.TestVectors;

/** Offline keyless verification of the OMS {@code sigstore} vector against a local trusted root. */
class KeylessVerificationTest {
  private static final KeylessIdentity SIGNER =
      new KeylessIdentity("stefanb@us.ibm.com", "https://sigstore.verify.ibm.com/oauth2");
  private static final byte[] SUBJECT =
      HexFormat.of().parseHex("61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226");

  private static KeylessVerification verification;
  private static SigstoreBundle bundle;

  @BeforeAll
  static void setUp() {
    verification =
        KeylessVerification.fromTrustedRoot(
            TestVectors.path("sigstore/public-good-trusted_root.json"));
    bundle = BundleReader.read(TestVectors.path(AttestationFixtures.SIGSTORE_VECTOR));
  }

  private static SentryException assertVerificationFails(
      SigstoreBundle candidate, byte[] subject, KeylessIdentity signer) {
    SentryException e =
        assertThrows(SentryException.class, () -> verification.verify(candidate, subject, signer));
    assertInstanceOf(VerificationFailedException.class, e, e.getMessage());
    return e;
  }

  @Test
  void identity_isReadFromTheFulcioCertificate() {
    assertEquals(SIGNER, KeylessIdentity.of(bundle.leafCertificate()));
  }

  @Test
  void verify_sigstoreVectorOffline() {
    assertDoesNotThrow(() -> verification.verify(bundle, SUBJECT, SIGNER));
  }

  @Test
  void verify_rejectsAnotherIdentity() {
    SentryException e =
        assertVerificationFails(
            bundle, SUBJECT, new KeylessIdentity("mallory@example.com", SIGNER.issuer()));
    assertTrue(e.getMessage().contains("expected mallory@example.com"), e.getMessage());
    assertTrue(e.getMessage().contains("got stefanb@us.ibm.com"), e.getMessage());
  }

  @Test
  void verify_rejectsAnotherIssuer() {
    assertVerificationFails(
        bundle, SUBJECT, new KeylessIdentity(SIGNER.identity(), "https://accounts.google.com"));
  }

  @Test
  void verify_rejectsAnotherSubjectDigest() {
    byte[] other = SUBJECT.clone();
    other[0] ^= 1;
    SentryException e = assertVerificationFails(bundle, other, SIGNER);
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  /** The key vector's statement put under the sigstore vector's signature. */
  @Test
  void verify_rejectsSwappedPayload() {
    JsonObject json = JsonParser.parseString(bundle.json()).getAsJsonObject();
    String otherPayload =
        JsonParser.parseString(TestVectors.text(AttestationFixtures.KEY_VECTOR))
            .getAsJsonObject()
            .getAsJsonObject("dsseEnvelope")
            .get("payload")
            .getAsString();
    json.getAsJsonObject("dsseEnvelope").addProperty("payload", otherPayload);
    SigstoreBundle swapped = BundleReader.read(json.toString());
    byte[] otherSubject =
        HexFormat.of().parseHex(StatementParser.parse(swapped.envelope()).subjectSha256());
    SentryException e = assertVerificationFails(swapped, otherSubject, SIGNER);
    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void verify_rejectsBundlesThatAreNotKeyless() {
    SigstoreBundle key = BundleReader.read(TestVectors.path(AttestationFixtures.KEY_VECTOR));
    assertBadInput(
        () -> {
          verification.verify(key, SUBJECT, SIGNER);
          return null;
        },
        "expected a keyless bundle",
        "PUBLIC_KEY");
  }

  @Test
  void fromTrustedRoot_rejectsMissingOrMalformedFile(@TempDir Path dir) throws Exception {
    org.sentryml.core.errors.SentryException missing =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.sentryml.core.errors.SentryException.class,
            () -> KeylessVerification.fromTrustedRoot(dir.resolve("absent.json")));
    org.junit.jupiter.api.Assertions.assertEquals(
        PathException.Kind.NOT_FOUND, assertInstanceOf(PathException.class, missing).kind());
    org.junit.jupiter.api.Assertions.assertTrue(
        missing.getMessage().contains("absent.json"), missing.getMessage());
    Path garbage = java.nio.file.Files.writeString(dir.resolve("garbage.json"), "{\"tlogs\": 5}");
    assertBadInput(
        () -> KeylessVerification.fromTrustedRoot(garbage), "garbage.json", "not a usable");
  }

  @Test
  void keylessIdentity_rejectsBlankFields() {
    assertThrows(IllegalArgumentException.class, () -> new KeylessIdentity(" ", "https://x"));
    assertThrows(IllegalArgumentException.class, () -> new KeylessIdentity("a@b", ""));
  }
}
