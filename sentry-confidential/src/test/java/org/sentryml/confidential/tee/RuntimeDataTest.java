package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.errors.MalformedInputException;

/**
 * The report data binding of the KBS protocol. The expected values were computed independently,
 * with Python's json module ({@code json.dumps(runtime_data, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False)}) and hashlib's SHA-384.
 */
class RuntimeDataTest {
  static final String NONCE = "9WUz0fqwvT5QNZy8Gt1n4bzhUGiEzbAMlD9jKhjNmy0=";
  static final String EC_JWK =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\","
          + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
  static final String EC_HASH =
      "a5e5cac8445aed976d6a8a1297d1ebc0954e3d9c1d48bce257cf1bdcfdef7379bfa631505d569b2908f2159099c5d48d";
  private static final String RSA_N =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

  @Test
  void canonicalJsonSortsMembersAndDropsWhitespace() {
    String spaced =
        "{ \"y\" : \"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\", \"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\n"
            + " \"kty\":\"EC\", \"alg\":\"ECDH-ES+A256KW\", \"crv\":\"P-256\" }";
    String expected =
        "{\"nonce\":\""
            + NONCE
            + "\",\"tee-pubkey\":{\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\",\"kty\":\"EC\","
            + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}}";
    assertEquals(
        expected, new String(RuntimeData.canonicalJson(NONCE, spaced), StandardCharsets.UTF_8));
    assertEquals(
        expected, new String(RuntimeData.canonicalJson(NONCE, EC_JWK), StandardCharsets.UTF_8));
  }

  @Test
  void reportDataIsTheSha384PaddedTo64OrCutTo32() {
    assertEquals(EC_HASH + "00".repeat(16), RuntimeData.reportData(NONCE, EC_JWK, 64).hex());
    assertEquals(EC_HASH.substring(0, 64), RuntimeData.reportData(NONCE, EC_JWK, 32).hex());
  }

  @Test
  void stringsAreEscapedAsJsonRequiresAndNoMore() {
    String rsa = "{\"kty\":\"RSA\",\"alg\":\"RSA1_5\",\"n\":\"" + RSA_N + "\",\"e\":\"AQAB\"}";
    assertEquals(
        "10e0de86602e009213f334d186552e06451268541efe9d84aca6d478aaf75304926682629357854a1d08bfc9262facc3"
            + "00".repeat(16),
        RuntimeData.reportData("n\"\\\n\u0001é", rsa, 64).hex());
  }

  @Test
  void claimsBindOnlyTheirOwnNonceAndKey() {
    Claims bound = claims(Octets.fromHex(EC_HASH + "00".repeat(16), "report data"));
    assertTrue(bound.bindsNonceAndKey(NONCE, EC_JWK));
    assertFalse(bound.bindsNonceAndKey(NONCE + "x", EC_JWK), "another nonce");
    assertFalse(bound.bindsNonceAndKey(NONCE, EC_JWK.replace("f83O", "f84O")), "another key");
    assertFalse(
        claims(Octets.fromHex(EC_HASH + "00".repeat(15) + "01", "report data"))
            .bindsNonceAndKey(NONCE, EC_JWK),
        "the padding is part of the binding");
    assertTrue(
        claims(Octets.fromHex(EC_HASH.substring(0, 64), "nonce")).bindsNonceAndKey(NONCE, EC_JWK),
        "NVIDIA's 32 bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"a\",\"y\":\"b\",\"use\":\"enc\"}",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"}",
        "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"alg\":\"ECDH-ES\",\"x\":\"a\"}",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"a\",\"y\":1}",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"a\",\"x\":\"c\",\"y\":\"b\"}",
        "[\"kty\"]",
        "not json"
      })
  void aKeyOutsideTheProtocolsKeyFormatIsRefused(String jwk) {
    assertThrows(MalformedInputException.class, () -> RuntimeData.reportData(NONCE, jwk, 64));
  }

  private static Claims claims(Octets reportData) {
    return new Claims(
        EvidenceType.SAMPLE,
        Octets.EMPTY,
        new LinkedHashMap<>(),
        new LinkedHashMap<>(),
        DebugFlag.NOT_REPORTED,
        reportData);
  }
}
