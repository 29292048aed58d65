package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

class EcCurveTest {
  @Test
  void eachCurveUsesTheHashModelSigningPairsWithIt() {
    assertEquals("SHA-256", EcCurve.P256.hashAlgorithm());
    assertEquals("SHA-384", EcCurve.P384.hashAlgorithm());
    assertEquals("SHA-512", EcCurve.P521.hashAlgorithm());
    assertEquals("SHA384withECDSA", EcCurve.P384.signatureAlgorithm());
  }

  @Test
  void namesAndOidsAreTheStandardOnes() {
    assertEquals("secp256r1", EcCurve.P256.jcaName());
    assertEquals("1.2.840.10045.3.1.7", EcCurve.P256.oid());
    assertEquals("1.3.132.0.34", EcCurve.P384.oid());
    assertEquals("1.3.132.0.35", EcCurve.P521.oid());
    assertEquals(Optional.of(EcCurve.P521), EcCurve.byOid("1.3.132.0.35"));
    assertEquals(Optional.empty(), EcCurve.byOid("1.3.132.0.10"));
  }

  @Test
  void ofRecognisesGeneratedKeys() {
    for (EcCurve curve : EcCurve.values()) {
      assertEquals(curve, EcCurve.of(KeyPairWriter.generate(curve).getPublic()));
      assertEquals(Optional.of(curve), EcCurve.find(KeyPairWriter.generate(curve).getPrivate()));
    }
  }

  @Test
  void ofRejectsNonEcKeysAsBadInput() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PublicKey key = rsa.generateKeyPair().getPublic();
    SentryException e = assertThrows(SentryException.class, () -> EcCurve.of(key));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("RSA"), e.getMessage());
  }

  @Test
  void ofRejectsOtherCurvesAsBadInput() throws Exception {
    KeyPairGenerator brainpool = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    brainpool.initialize(new ECGenParameterSpec("brainpoolP256r1"));
    PublicKey key = brainpool.generateKeyPair().getPublic();
    SentryException e = assertThrows(SentryException.class, () -> EcCurve.of(key));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("unsupported 256-bit curve"), e.getMessage());
    PublicKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(SentryException.class, () -> EcCurve.of(ed25519)));
  }

  @Test
  void parseAcceptsCommonSpellings() {
    assertEquals(EcCurve.P256, EcCurve.parse("P-256"));
    assertEquals(EcCurve.P384, EcCurve.parse("p384"));
    assertEquals(EcCurve.P521, EcCurve.parse("SECP521R1"));
    assertInstanceOf(
        UsageException.class,
        assertThrows(SentryException.class, () -> EcCurve.parse("secp256k1")));
  }
}
