package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.attestation.BundleReader;
import org.sentryml.core.attestation.KeyHint;
import org.sentryml.core.attestation.SigstoreBundle;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.testkit.TestPki;

class PrivateKeySignerTest {
  /** Bouncy Castle's comb multiplication gives the public key the JDK's generator paired. */
  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void derivedPublicKeyEqualsTheJdkGeneratedOne(String curve) {
    KeyPair keys = TestPki.ecKeys(curve);
    assertEquals(keys.getPublic(), PrivateKeySigner.publicKeyOf(keys.getPrivate()));
  }

  @Test
  void signedBundleNamesAndVerifiesUnderTheDerivedKey() {
    KeyPair keys = TestPki.ecKeys("secp384r1");
    PrivateKeySigner signer = new PrivateKeySigner(keys.getPrivate());
    byte[] statement = "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    byte[] signed = signer.sign(statement);
    SigstoreBundle bundle = BundleReader.read(new String(signed, StandardCharsets.UTF_8));
    assertEquals(KeyHint.of(keys.getPublic()), bundle.keyHint());
    assertArrayEquals(statement, new PublicKeyVerifier(keys.getPublic()).verify(signed));
  }

  @Test
  void keyOnAnotherCurveIsRefusedByName() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    generator.initialize(new ECGenParameterSpec("secp256k1"));
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () -> new PrivateKeySigner(generator.generateKeyPair().getPrivate()));
    assertTrue(e.getMessage().contains("expected ECDSA P-256, P-384 or P-521"), e.getMessage());
  }
}
