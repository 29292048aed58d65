package org.sentryml.core.attestation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.sentryml.core.json.JsonFile;

/**
 * Writes Sigstore bundle v0.3 JSON ({@value BundleMediaType#V0_3}) around a DSSE envelope, in the
 * two forms OMS defines for signing without Sigstore infrastructure:
 *
 * <ul>
 *   <li>public key: {@code verificationMaterial.publicKey.hint} is {@link KeyHint#of(PublicKey)};
 *   <li>certificate: {@code verificationMaterial.x509CertificateChain.certificates}, leaf first.
 * </ul>
 *
 * <p>Both carry an empty {@code tlogEntries} and a signature {@code keyid} of {@code ""}, as the
 * OMS v1.0 {@code key} and {@code certificate} vectors do. Field names, their order and the base64
 * of bytes follow the protobuf JSON mapping of sigstore's {@code Bundle} message, as protobuf's
 * {@code JsonFormat} prints it with fields without presence included (the tests parse every written
 * bundle with that parser, strictly, and compare with its printing). The JSON is built directly
 * rather than printed by {@code JsonFormat}, whose first use loads and builds the descriptors of
 * every sigstore proto on each signing start (JFR: about 40 ms in Java frames alone).
 * (sigstore-java 2.0 cannot write these bundles itself: its writer needs a transparency log entry
 * and has no public-key form.) Stateless and thread-safe.
 */
public final class BundleWriter {
  private BundleWriter() {}

  /**
   * A public-key bundle for {@code envelope}, signed by the private half of {@code key}.
   *
   * @throws IllegalArgumentException if the envelope is not a single-signature in-toto envelope
   */
  public static String writePublicKey(DsseEnvelope envelope, PublicKey key) {
    Objects.requireNonNull(key, "key");
    JsonObject hint = new JsonObject();
    hint.addProperty("hint", KeyHint.of(key));
    JsonObject material = new JsonObject();
    material.add("publicKey", hint);
    return print(envelope, material);
  }

  /**
   * A certificate bundle for {@code envelope}; {@code chain} starts with the signing (leaf)
   * certificate, followed by the intermediates (the trusted root may be left out).
   *
   * @throws IllegalArgumentException if the chain is empty, a certificate cannot be encoded, or the
   *     envelope is not a single-signature in-toto envelope
   */
  public static String writeCertificateChain(
      DsseEnvelope envelope, List<java.security.cert.X509Certificate> chain) {
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate chain is empty, expected the leaf first");
    }
    JsonArray certificates = new JsonArray();
    for (int i = 0; i < chain.size(); i++) {
      JsonObject certificate = new JsonObject();
      try {
        certificate.addProperty("rawBytes", base64(chain.get(i).getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "certificate %d of the chain cannot be encoded", i), e);
      }
      certificates.add(certificate);
    }
    JsonObject x509 = new JsonObject();
    x509.add("certificates", certificates);
    JsonObject material = new JsonObject();
    material.add("x509CertificateChain", x509);
    return print(envelope, material);
  }

  /** The bundle around {@code envelope}; {@code material} holds the key or the chain so far. */
  private static String print(DsseEnvelope envelope, JsonObject material) {
    Objects.requireNonNull(envelope, "envelope");
    if (!DsseEnvelope.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "envelope payloadType: expected %s, got %s",
              DsseEnvelope.IN_TOTO_PAYLOAD_TYPE,
              envelope.payloadType()));
    }
    if (envelope.signatures().size() != 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "envelope signatures: expected exactly 1, got %d",
              envelope.signatures().size()));
    }
    material.add("tlogEntries", new JsonArray());
    JsonArray signatures = new JsonArray();
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("sig", base64(signature.sig()));
      entry.addProperty("keyid", signature.keyid());
      signatures.add(entry);
    }
    JsonObject dsse = new JsonObject();
    dsse.addProperty("payload", base64(envelope.payload()));
    dsse.addProperty("payloadType", envelope.payloadType());
    dsse.add("signatures", signatures);
    JsonObject bundle = new JsonObject();
    bundle.addProperty("mediaType", BundleMediaType.V0_3);
    bundle.add("verificationMaterial", material);
    bundle.add("dsseEnvelope", dsse);
    return new String(JsonFile.bytes(bundle), StandardCharsets.UTF_8);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
