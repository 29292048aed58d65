package org.sentryml.confidential.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.crypto.tink.KeysetHandle;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.VerificationFailedException;

class KeysetJweTest {
  @Test
  void aJweForOneEphemeralKeyDecryptsWithItAndWithNoOther() {
    KeysetHandle keyset = StreamingScheme.newKeyset();
    EphemeralKey intended = EphemeralKey.generate();
    byte[] jwe = KeysetJwe.encrypt(keyset, KeysetJwe.recipient(intended.publicJwk()));
    KeysetHandle released = KeysetJwe.decrypt(jwe, intended);
    assertEquals(keyset.getPrimary().getId(), released.getPrimary().getId());
    assertThrows(
        VerificationFailedException.class, () -> KeysetJwe.decrypt(jwe, EphemeralKey.generate()));
  }

  @Test
  void theResponseIsTheFlattenedSerializationWithTheProtocolsAlgorithms() {
    EphemeralKey key = EphemeralKey.generate();
    byte[] jwe =
        KeysetJwe.encrypt(StreamingScheme.newKeyset(), KeysetJwe.recipient(key.publicJwk()));
    var json = org.sentryml.core.json.StrictJson.parseObject(jwe, "jwe");
    assertEquals(
        java.util.Set.of("protected", "encrypted_key", "iv", "ciphertext", "tag"), json.keySet());
    String header =
        new String(
            java.util.Base64.getUrlDecoder().decode(json.get("protected").getAsString()),
            StandardCharsets.UTF_8);
    var parsed = org.sentryml.core.json.StrictJson.parseObject(header, "header");
    assertEquals("ECDH-ES+A256KW", parsed.get("alg").getAsString());
    assertEquals("A256GCM", parsed.get("enc").getAsString());
  }

  @Test
  void aChangedCiphertextDoesNotDecrypt() {
    EphemeralKey key = EphemeralKey.generate();
    String jwe =
        new String(
            KeysetJwe.encrypt(StreamingScheme.newKeyset(), KeysetJwe.recipient(key.publicJwk())),
            StandardCharsets.UTF_8);
    var json = org.sentryml.core.json.StrictJson.parseObject(jwe, "jwe");
    String ciphertext = json.get("ciphertext").getAsString();
    char flipped = ciphertext.charAt(5) == 'A' ? 'B' : 'A';
    json.addProperty("ciphertext", ciphertext.substring(0, 5) + flipped + ciphertext.substring(6));
    byte[] changed = json.toString().getBytes(StandardCharsets.UTF_8);
    assertThrows(VerificationFailedException.class, () -> KeysetJwe.decrypt(changed, key));
  }

  @Test
  void aTeePubkeyWithoutTheProtocolsAlgorithmIsRefused() {
    String jwk = EphemeralKey.generate().publicJwk().replace("ECDH-ES+A256KW", "ECDH-ES");
    assertThrows(MalformedInputException.class, () -> KeysetJwe.recipient(jwk));
  }
}
