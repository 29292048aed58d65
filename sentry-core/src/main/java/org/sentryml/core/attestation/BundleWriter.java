package org.sentryml.core.attestation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sigstore.proto.bundle.v1.Bundle;
import dev.sigstore.proto.bundle.v1.VerificationMaterial;
import dev.sigstore.proto.common.v1.PublicKeyIdentifier;
import dev.sigstore.proto.common.v1.X509Certificate;
import dev.sigstore.proto.common.v1.X509CertificateChain;
import io.intoto.EnvelopeOuterClass;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
 * OMS v1.0 {@code key} and {@code certificate} vectors do. The JSON comes from sigstore-java's
 * protobuf classes printed by {@link JsonFormat}, so field names and base64 follow the protobuf
 * JSON mapping. (sigstore-java 2.0 cannot write these bundles itself: its writer needs a
 * transparency log entry and has no public-key form.) Stateless and thread-safe.
 */
public final class BundleWriter {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  private BundleWriter() {}

  /**
   * A public-key bundle for {@code envelope}, signed by the private half of {@code key}.
   *
   * @throws IllegalArgumentException if the envelope is not a single-signature in-toto envelope
   */
  public static String writePublicKey(DsseEnvelope envelope, PublicKey key) {
    Objects.requireNonNull(key, "key");
    PublicKeyIdentifier hint = PublicKeyIdentifier.newBuilder().setHint(KeyHint.of(key)).build();
    return print(envelope, VerificationMaterial.newBuilder().setPublicKey(hint));
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
    X509CertificateChain.Builder certificates = X509CertificateChain.newBuilder();
    for (int i = 0; i < chain.size(); i++) {
      try {
        certificates.addCertificates(
            X509Certificate.newBuilder()
                .setRawBytes(ByteString.copyFrom(chain.get(i).getEncoded())));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "certificate %d of the chain cannot be encoded", i), e);
      }
    }
    return print(envelope, VerificationMaterial.newBuilder().setX509CertificateChain(certificates));
  }

  private static String print(DsseEnvelope envelope, VerificationMaterial.Builder material) {
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
    EnvelopeOuterClass.Envelope.Builder dsse =
        EnvelopeOuterClass.Envelope.newBuilder()
            .setPayloadType(envelope.payloadType())
            .setPayload(ByteString.copyFrom(envelope.payload()));
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      dsse.addSignatures(
          EnvelopeOuterClass.Signature.newBuilder()
              .setSig(ByteString.copyFrom(signature.sig()))
              .setKeyid(signature.keyid()));
    }
    Bundle bundle =
        Bundle.newBuilder()
            .setMediaType(BundleMediaType.V0_3)
            .setVerificationMaterial(material)
            .setDsseEnvelope(dsse)
            .build();
    try {
      return PRINTER.print(bundle) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("bundle cannot be printed as JSON", e);
    }
  }
}
