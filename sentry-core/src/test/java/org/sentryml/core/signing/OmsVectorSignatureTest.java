package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.TestVectors;

/**
 * Verifies the DSSE signatures of the OMS v1.0 {@code key} and {@code certificate} vectors (see the
 * testkit's {@code vectors/README.md}). They are P-384 signatures with SHA-384, which pins the hash
 * {@link EcCurve#P384} uses.
 */
class OmsVectorSignatureTest {
  /** An envelope's signed bytes and signature, read straight from a bundle. */
  private record Envelope(byte[] pae, byte[] signature) {
    static Envelope read(String bundle) {
      JsonObject envelope =
          JsonParser.parseString(TestVectors.text("oms-spec/test-vectors/v1.0/valid/" + bundle))
              .getAsJsonObject()
              .getAsJsonObject("dsseEnvelope");
      String type = envelope.get("payloadType").getAsString();
      byte[] payload = Base64.getDecoder().decode(envelope.get("payload").getAsString());
      String sig =
          envelope.getAsJsonArray("signatures").get(0).getAsJsonObject().get("sig").getAsString();
      return new Envelope(preAuthEncoding(type, payload), Base64.getDecoder().decode(sig));
    }
  }

  /** DSSEv1 pre-authentication encoding; lengths are decimal byte counts. */
  private static byte[] preAuthEncoding(String type, byte[] body) {
    byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("DSSEv1 " + typeBytes.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(typeBytes);
    out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void keyVectorVerifiesWithItsP384PublicKey() throws Exception {
    PublicKey key = PemFiles.readPublicKey(TestVectors.path("oms-spec/keys/signing-key-pub.pem"));
    assertEquals(EcCurve.P384, EcCurve.of(key));
    Envelope envelope = Envelope.read("key.bundle.json");
    assertTrue(Ecdsa.verify(key, envelope.pae(), envelope.signature()));
  }

  @Test
  void keyVectorWasHashedWithSha384NotSha256() throws Exception {
    PublicKey key = PemFiles.readPublicKey(TestVectors.path("oms-spec/keys/signing-key-pub.pem"));
    Envelope envelope = Envelope.read("key.bundle.json");
    Signature sha256 = Signature.getInstance("SHA256withECDSA");
    sha256.initVerify(key);
    sha256.update(envelope.pae());
    assertFalse(sha256.verify(envelope.signature()));
  }

  @Test
  void keyVectorFailsWhenOnePayloadByteChanges() throws Exception {
    PublicKey key = PemFiles.readPublicKey(TestVectors.path("oms-spec/keys/signing-key-pub.pem"));
    Envelope envelope = Envelope.read("key.bundle.json");
    byte[] pae = envelope.pae();
    pae[pae.length - 2] ^= 1;
    assertFalse(Ecdsa.verify(key, pae, envelope.signature()));
  }

  @Test
  void certificateVectorVerifiesWithItsLeafCertificateKey() throws Exception {
    List<X509Certificate> leaf =
        PemFiles.readCertificates(TestVectors.path("oms-spec/keys/signing-key-cert.pem"));
    Envelope envelope = Envelope.read("certificate.bundle.json");
    assertTrue(Ecdsa.verify(leaf.get(0).getPublicKey(), envelope.pae(), envelope.signature()));
  }
}
