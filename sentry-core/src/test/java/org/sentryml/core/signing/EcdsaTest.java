package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.testkit.TestTags;

class EcdsaTest {
  private static final byte[] MESSAGE = "model manifest".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(EcCurve.class)
  void signatureVerifiesWithTheMatchingPublicKey(EcCurve curve) {
    KeyPair keys = KeyPairWriter.generate(curve);
    assertEquals(curve, EcCurve.of(keys.getPublic()));
    byte[] signature = Ecdsa.sign(keys.getPrivate(), MESSAGE);
    assertEquals(0x30, signature[0] & 0xff, "DER SEQUENCE");
    assertTrue(Ecdsa.verify(keys.getPublic(), MESSAGE, signature));
  }

  /**
   * About 2,000 verifications (every bit of three signatures), 12 s on two cores: full suite only.
   */
  @ParameterizedTest
  @EnumSource(EcCurve.class)
  @Tag(TestTags.SLOW)
  void everyFlippedSignatureBitIsRejected(EcCurve curve) {
    KeyPair keys = KeyPairWriter.generate(curve);
    byte[] signature = Ecdsa.sign(keys.getPrivate(), MESSAGE);
    for (int bit = 0; bit < signature.length * 8; bit++) {
      byte[] flipped = signature.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(Ecdsa.verify(keys.getPublic(), MESSAGE, flipped), "bit " + bit);
    }
  }

  @ParameterizedTest
  @EnumSource(EcCurve.class)
  void changedMessageIsRejected(EcCurve curve) {
    KeyPair keys = KeyPairWriter.generate(curve);
    byte[] signature = Ecdsa.sign(keys.getPrivate(), MESSAGE);
    byte[] other = MESSAGE.clone();
    other[0] ^= 1;
    assertFalse(Ecdsa.verify(keys.getPublic(), other, signature));
  }

  @Test
  void anotherKeyOnTheSameCurveIsRejected() {
    byte[] signature = Ecdsa.sign(KeyPairWriter.generate(EcCurve.P256).getPrivate(), MESSAGE);
    assertFalse(Ecdsa.verify(KeyPairWriter.generate(EcCurve.P256).getPublic(), MESSAGE, signature));
  }

  @Test
  void aKeyOnAnotherCurveIsRejected() {
    byte[] signature = Ecdsa.sign(KeyPairWriter.generate(EcCurve.P256).getPrivate(), MESSAGE);
    assertFalse(Ecdsa.verify(KeyPairWriter.generate(EcCurve.P384).getPublic(), MESSAGE, signature));
    assertFalse(Ecdsa.verify(KeyPairWriter.generate(EcCurve.P521).getPublic(), MESSAGE, signature));
  }

  @Test
  void malformedSignatureBytesGiveFalseNotAnException() {
    KeyPair keys = KeyPairWriter.generate(EcCurve.P384);
    byte[] signature = Ecdsa.sign(keys.getPrivate(), MESSAGE);
    for (byte[] bad :
        new byte[][] {
          new byte[0],
          {0x30},
          {0x30, 0x00},
          {1, 2, 3, 4},
          Arrays.copyOf(signature, signature.length - 1),
          Arrays.copyOf(signature, signature.length + 1),
          new byte[96]
        }) {
      assertFalse(Ecdsa.verify(keys.getPublic(), MESSAGE, bad), Arrays.toString(bad));
    }
  }

  @Test
  void nonEcKeysAreBadInput() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair keys = rsa.generateKeyPair();
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(SentryException.class, () -> Ecdsa.sign(keys.getPrivate(), MESSAGE)));
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(
            SentryException.class, () -> Ecdsa.verify(keys.getPublic(), MESSAGE, new byte[8])));
  }
}
