package org.sentryml.confidential.tee;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The checks that TDX and SGX quotes share, from the pinned root down to the quote: the PCK chain
 * to the pinned Intel SGX Root CA, the PCK key's signature on the quoting enclave's report, the
 * QE's identity, the QE report's binding of the attestation key, and the attestation key's
 * signature on the quote. Stateless and thread-safe.
 */
final class IntelQuoteChecks {
  /** Intel's quoting enclave vendor id, in every DCAP quote header. */
  static final Octets INTEL_QE_VENDOR_ID =
      Octets.fromHex("939a7233f79c4ca9940a0db3957f0607", "QE vendor id");

  private static final String PCK_CHAIN = "PCK certificate chain";

  private IntelQuoteChecks() {}

  /**
   * Checks everything above the quote body.
   *
   * @param signedBytes the header and body, as the attestation key signed them
   * @param expected the quoting enclave this TEE's quotes come from
   * @return the PCK certificate's SGX extension
   * @throws org.sentryml.core.errors.VerificationFailedException naming the failed {@link Check}
   */
  static PckExtensions verify(
      EvidenceType type,
      QuoteHeader header,
      Octets signedBytes,
      QuoteSignature signature,
      QuotingEnclave expected,
      Instant time) {
    if (!header.qeVendorId().matches(INTEL_QE_VENDOR_ID)) {
      throw Check.QE_VENDOR.failed(
          type,
          "the header's QE vendor id "
              + header.qeVendorId()
              + " is not Intel's "
              + INTEL_QE_VENDOR_ID);
    }
    List<X509Certificate> path =
        VendorChain.belowPinnedRoot(
            type, PCK_CHAIN, signature.pckChain(), PinnedRoot.INTEL_SGX_ROOT_CA);
    VendorChain.verify(type, PCK_CHAIN, path, PinnedRoot.INTEL_SGX_ROOT_CA, time);
    X509Certificate pck = path.getFirst();
    if (!RawEcdsa.verify(
        RawEcdsa.P256_SHA256,
        pck.getPublicKey(),
        signature.qeReportBytes().toByteArray(),
        signature.qeReportSignature().toByteArray())) {
      throw Check.QE_REPORT_SIGNATURE.failed(
          type,
          "the quoting enclave's report is not signed by the key of the PCK certificate "
              + Certificates.name(pck));
    }
    SgxReportBody qe = signature.qeReport();
    if (!qe.mrSigner().matches(expected.mrSigner()) || qe.isvProdId() != expected.isvProdId()) {
      throw Check.QE_IDENTITY.failed(
          type,
          String.format(
              Locale.ROOT,
              "the quoting enclave has MRSIGNER %s and ISVPRODID %d; Intel's %s has MRSIGNER %s and ISVPRODID %d",
              qe.mrSigner(),
              qe.isvProdId(),
              expected.displayName(),
              expected.mrSigner(),
              expected.isvProdId()));
    }
    if (qe.debug()) {
      throw Check.QE_IDENTITY.failed(
          type, "the quoting enclave runs in debug mode, so its host could forge quotes");
    }
    Octets binding = attestationKeyBinding(signature.attestationKey(), signature.qeAuthData());
    if (!qe.reportData().matches(binding)) {
      throw Check.ATTESTATION_KEY_BINDING.failed(
          type,
          "the QE report data "
              + qe.reportData()
              + " is not SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes = "
              + binding);
    }
    PublicKey attestationKey = RawEcdsa.p256Key(signature.attestationKey().toByteArray());
    if (attestationKey == null) {
      throw Check.QUOTE_SIGNATURE.failed(type, "the attestation key is not a point on P-256");
    }
    if (!RawEcdsa.verify(
        RawEcdsa.P256_SHA256,
        attestationKey,
        signedBytes.toByteArray(),
        signature.signature().toByteArray())) {
      throw Check.QUOTE_SIGNATURE.failed(
          type,
          String.format(
              Locale.ROOT,
              "the attestation key's signature does not verify over the quote's header and body (bytes 0 to %d)",
              signedBytes.length()));
    }
    return PckExtensions.of(pck, type.displayName());
  }

  /** The TCB claims every Intel quote makes: the QE's, and the PCK's keys into the collateral. */
  static void tcbClaims(ClaimsBuilder claims, SgxReportBody qe, PckExtensions pck) {
    claims
        .tcb("qe.isv_svn", qe.isvSvn())
        .tcb("qe.cpu_svn", qe.cpuSvn())
        .tcb("pck.fmspc", pck.fmspc())
        .tcb("pck.pce_id", pck.pceId())
        .tcb("pck.cpu_svn", pck.cpuSvn())
        .tcb("pck.pce_svn", pck.pceSvn())
        .tcb("pck.sgx_type", pck.sgxType());
  }

  private static Octets attestationKeyBinding(Octets attestationKey, Octets authData) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(attestationKey.toByteArray());
      sha256.update(authData.toByteArray());
      return Octets.of(Arrays.copyOf(sha256.digest(), 64));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every Java runtime", e);
    }
  }
}
