package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PaeTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Known answer from the DSSE specification, protocol.md ("Test vectors"). */
  @Test
  void encode_matchesDsseProtocolExample() {
    byte[] pae = Pae.encode("http://example.com/HelloWorld", ascii("hello world"));
    assertArrayEquals(ascii("DSSEv1 29 http://example.com/HelloWorld 11 hello world"), pae);
  }

  @Test
  void encode_emptyTypeAndPayload() {
    assertArrayEquals(ascii("DSSEv1 0  0 "), Pae.encode("", new byte[0]));
  }

  @Test
  void encode_inTotoTypeWithEmptyPayload() {
    assertArrayEquals(
        ascii("DSSEv1 28 application/vnd.in-toto+json 0 "),
        Pae.encode(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, new byte[0]));
  }

  /**
   * "t/€" is 3 chars but 5 UTF-8 bytes; "é" as payload is 1 char but 2 bytes. A char-counting PAE
   * (as in sigstore-java 2.0.0) would write "3" and "1".
   */
  @Test
  void encode_countsUtf8BytesNotChars() {
    byte[] payload = "é".getBytes(StandardCharsets.UTF_8);
    byte[] pae = Pae.encode("t/€", payload);
    byte[] expected = "DSSEv1 5 t/€ 2 é".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, pae);
    byte[] charCounted =
        ("DSSEv1 " + "t/€".length() + " t/€ " + "é".length() + " é")
            .getBytes(StandardCharsets.UTF_8);
    assertFalse(Arrays.equals(charCounted, pae));
  }

  @Test
  void encode_keepsBinaryPayloadExactly() {
    byte[] payload = {0, (byte) 0xff, ' ', '\n', (byte) 0x80};
    byte[] pae = Pae.encode("x", payload);
    byte[] prefix = ascii("DSSEv1 1 x 5 ");
    assertEquals(prefix.length + payload.length, pae.length);
    assertArrayEquals(prefix, Arrays.copyOf(pae, prefix.length));
    assertArrayEquals(payload, Arrays.copyOfRange(pae, prefix.length, pae.length));
  }
}
