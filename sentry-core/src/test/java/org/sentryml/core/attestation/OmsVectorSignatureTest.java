package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.TestPki;
import org.sentryml.testkit.TestVectors;

/** DSSE signatures of the OMS v1.0 vectors, checked with JCA over {@link Pae#encode}. */
class OmsVectorSignatureTest {
  private static SigstoreBundle read(String name) {
    return BundleReader.read(TestVectors.path(name));
  }

  @Test
  void keyVector_verifiesWithP384KeyAndSha384() {
    PublicKey key = AttestationFixtures.omsPublicKey();
    assertEquals("SHA384withECDSA", AttestationFixtures.ecdsaAlgorithm(key));
    SigstoreBundle bundle = read(AttestationFixtures.KEY_VECTOR);
    assertEquals(KeyHint.of(key), bundle.keyHint());
    assertTrue(AttestationFixtures.verifies(bundle.envelope(), key));
  }

  @Test
  void certificateVector_verifiesWithLeafCertificateKey() {
    SigstoreBundle bundle = read(AttestationFixtures.CERTIFICATE_VECTOR);
    PublicKey leafKey = bundle.leafCertificate().getPublicKey();
    assertTrue(AttestationFixtures.verifies(bundle.envelope(), leafKey));
  }

  @Test
  void sigstoreVector_verifiesWithFulcioCertificateKey() {
    SigstoreBundle bundle = read(AttestationFixtures.SIGSTORE_VECTOR);
    assertTrue(
        AttestationFixtures.verifies(bundle.envelope(), bundle.leafCertificate().getPublicKey()));
  }

  @Test
  void wrongPredicateVector_parsesButItsSignatureFails() {
    SigstoreBundle bundle = read(AttestationFixtures.WRONG_PREDICATE);
    assertEquals(AttestationFixtures.KEY_VECTOR_HINT, bundle.keyHint());
    assertFalse(
        AttestationFixtures.verifies(bundle.envelope(), AttestationFixtures.omsPublicKey()));
  }

  @Test
  void keyVector_failsWithAnotherKey() {
    SigstoreBundle bundle = read(AttestationFixtures.KEY_VECTOR);
    PublicKey other = TestPki.ecKeys("secp384r1").getPublic();
    assertFalse(AttestationFixtures.verifies(bundle.envelope(), other));
  }
}
