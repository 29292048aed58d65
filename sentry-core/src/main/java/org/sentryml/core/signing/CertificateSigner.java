package org.sentryml.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.attestation.BundleWriter;
import org.sentryml.core.attestation.DsseEnvelope;
import org.sentryml.core.attestation.Pae;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;

/** The {@code pki} method: ECDSA with the signing certificate's key, the chain in the bundle. */
public final class CertificateSigner implements StatementSigner {
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;

  /** {@code chain} is leaf first; the private key must belong to the leaf. */
  public CertificateSigner(PrivateKey privateKey, List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      throw new UsageException("no signing certificate given");
    }
    byte[] derived = PrivateKeySigner.publicKeyOf(privateKey).getEncoded();
    if (!MessageDigest.isEqual(derived, chain.get(0).getPublicKey().getEncoded())) {
      throw new MalformedInputException(
          "the private key does not belong to the signing certificate "
              + chain.get(0).getSubjectX500Principal().getName());
    }
    String problem = CertificateChainVerifier.signingUsageProblem(chain.get(0));
    if (problem != null) {
      throw new MalformedInputException(
          "cannot sign: verification would refuse the certificate: " + problem);
    }
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
  }

  /** Accepts pki bundles whose signing certificate is this signer's, signed by its key. */
  @Override
  public StatementVerifier ownSignatures() {
    X509Certificate own = chain.get(0);
    return new StatementVerifier() {
      @Override
      public byte[] verify(byte[] signatureFile) {
        org.sentryml.core.attestation.SigstoreBundle bundle =
            BundleStatements.read(
                signatureFile, org.sentryml.core.attestation.MaterialKind.CERTIFICATE_CHAIN, "pki");
        X509Certificate leaf = bundle.leafCertificate();
        boolean same;
        try {
          same = MessageDigest.isEqual(leaf.getEncoded(), own.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
          same = false;
        }
        if (!same) {
          throw new org.sentryml.core.errors.VerificationFailedException(
              "the earlier signature was made with another certificate ("
                  + leaf.getSubjectX500Principal().getName()
                  + ")");
        }
        if (!Ecdsa.verify(
            leaf.getPublicKey(),
            bundle.envelope().pae(),
            bundle.envelope().signatures().get(0).sig())) {
          throw BundleStatements.badSignature(
              "the signing certificate " + leaf.getSubjectX500Principal().getName());
        }
        return bundle.envelope().payload();
      }

      @Override
      public String describe() {
        return "earlier signature verified with certificate "
            + own.getSubjectX500Principal().getName();
      }
    };
  }

  @Override
  public byte[] sign(byte[] statement) {
    byte[] signature =
        Ecdsa.sign(privateKey, Pae.encode(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement));
    return BundleWriter.writeCertificateChain(
            BundleStatements.envelope(statement, signature), new ArrayList<>(chain))
        .getBytes(StandardCharsets.UTF_8);
  }
}
