package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.TestPki;

class KeyHintTest {
  @Test
  void of_reproducesOmsKeyVectorHint() {
    assertEquals(
        AttestationFixtures.KEY_VECTOR_HINT, KeyHint.of(AttestationFixtures.omsPublicKey()));
  }

  @Test
  void of_isNotTheHashOfTheDer() throws Exception {
    PublicKey key = AttestationFixtures.omsPublicKey();
    String derHash =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    assertEquals("c1e49d63327f85c7e2971aefd30b5a0d1c6b9b5e1a892e7f5fba995adace816d", derHash);
    assertNotEquals(derHash, KeyHint.of(key));
  }

  @Test
  void pem_hasSixtyFourCharacterLinesAndTrailingNewline() {
    String pem = KeyHint.pem(AttestationFixtures.omsPublicKey().getEncoded());
    String[] lines = pem.split("\n", -1);
    assertEquals("-----BEGIN PUBLIC KEY-----", lines[0]);
    assertEquals(64, lines[1].length());
    assertEquals(64, lines[2].length());
    assertEquals(32, lines[3].length());
    assertEquals("-----END PUBLIC KEY-----", lines[4]);
    assertEquals("", lines[5]);
    assertTrue(pem.endsWith("-----\n"));
  }

  @Test
  void of_isLowercaseHexSha256() {
    String hint = KeyHint.of(TestPki.ecKeys("secp256r1").getPublic());
    assertTrue(hint.matches("[0-9a-f]{64}"), hint);
  }
}
