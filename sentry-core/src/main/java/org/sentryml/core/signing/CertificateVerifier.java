package org.sentryml.core.signing;

import java.security.cert.X509Certificate;
import java.util.List;
import org.sentryml.core.attestation.MaterialKind;
import org.sentryml.core.attestation.SigstoreBundle;

/**
 * Verifies {@code pki} bundles: the chain in the bundle must lead to one of the given roots, with
 * the signing certificate valid at signing time. A PKI bundle carries no trusted timestamp, so the
 * signing time is taken as the start of the signing certificate's validity (as model_signing does):
 * a certificate that has since expired still verifies what it signed while valid.
 */
public final class CertificateVerifier implements StatementVerifier {
  private final CertificateChainVerifier chains;
  private String signer = "";

  public CertificateVerifier(List<X509Certificate> roots) {
    this.chains = new CertificateChainVerifier(roots);
  }

  @Override
  public byte[] verify(byte[] signatureFile) {
    SigstoreBundle bundle =
        BundleStatements.read(signatureFile, MaterialKind.CERTIFICATE_CHAIN, "pki");
    X509Certificate leaf = bundle.leafCertificate();
    List<X509Certificate> certificates = bundle.certificates();
    chains.verify(
        leaf, certificates.subList(1, certificates.size()), leaf.getNotBefore().toInstant());
    if (!Ecdsa.verify(
        leaf.getPublicKey(),
        bundle.envelope().pae(),
        bundle.envelope().signatures().get(0).sig())) {
      throw BundleStatements.badSignature(
          "the signing certificate " + leaf.getSubjectX500Principal().getName());
    }
    signer = leaf.getSubjectX500Principal().getName();
    return bundle.envelope().payload();
  }

  @Override
  public String describe() {
    return "signature verified with certificate " + signer + ", chained to a given root";
  }
}
