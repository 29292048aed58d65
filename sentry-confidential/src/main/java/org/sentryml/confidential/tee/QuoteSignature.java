package org.sentryml.confidential.tee;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The signature data of an ECDSA P-256 DCAP quote: the attestation key's signature over the header
 * and body, the attestation key, and its certification by the quoting enclave — the QE's report
 * signed by the platform's PCK key, the QE authentication data, and the PCK certificate chain
 * (certification data type 5, PEM). In version 4 and 5 quotes the QE part comes wrapped as
 * certification data type 6; in version 3 it follows the key directly.
 *
 * @param signature {@code r ‖ s} over the header and body
 * @param attestationKey {@code x ‖ y} of the P-256 attestation key
 * @param qeReportBytes the QE report as signed by the PCK key
 * @param qeReportSignature {@code r ‖ s} by the PCK key over {@code qeReportBytes}
 * @param pckChain the PCK certificate, its issuing CA and the root, in that order
 */
record QuoteSignature(
    Octets signature,
    Octets attestationKey,
    Octets qeReportBytes,
    SgxReportBody qeReport,
    Octets qeReportSignature,
    Octets qeAuthData,
    List<X509Certificate> pckChain) {
  private static final int PCK_CERT_CHAIN = 5;
  private static final int QE_REPORT_CERTIFICATION_DATA = 6;

  /**
   * Reads signature data that must end where {@code reader} ends.
   *
   * @param wrapped whether the QE part is certification data type 6 (quote versions 4 and 5)
   */
  static QuoteSignature read(EvidenceReader reader, boolean wrapped, String document) {
    long length = reader.u32("signature_data_len");
    if (length != reader.remaining()) {
      throw reader.malformed(
          String.format(
              Locale.ROOT,
              "signature_data_len says %d bytes, but %d follow",
              length,
              reader.remaining()));
    }
    Octets signature = reader.octets(64, "signature");
    Octets attestationKey = reader.octets(64, "attestation_key");
    if (wrapped) {
      certificationDataSize(reader, QE_REPORT_CERTIFICATION_DATA, "QE report certification data");
    }
    int qeReportAt = reader.position();
    SgxReportBody qeReport = SgxReportBody.read(reader, "qe_report.");
    Octets qeReportRaw = reader.copyOf(qeReportAt, SgxReportBody.SIZE);
    Octets qeReportSignature = reader.octets(64, "qe_report_signature");
    int authLength = reader.u16("qe_auth_data_len");
    Octets qeAuthData = Octets.of(reader.bytes(authLength, "qe_auth_data"));
    byte[] pem =
        reader.bytes(
            certificationDataSize(reader, PCK_CERT_CHAIN, "PCK certificate chain"),
            "PCK certificate chain");
    reader.requireEnd();
    // TDX's quoting library writes the chain as a C string, counting its one terminating NUL.
    int end = pem.length > 0 && pem[pem.length - 1] == 0 ? pem.length - 1 : pem.length;
    List<X509Certificate> chain =
        Certificates.fromPem(Arrays.copyOf(pem, end), document + " PCK certificate chain");
    return new QuoteSignature(
        signature, attestationKey, qeReportRaw, qeReport, qeReportSignature, qeAuthData, chain);
  }

  /** Reads a certification data header of {@code type}, whose data must span the rest; its size. */
  private static long certificationDataSize(EvidenceReader reader, int type, String what) {
    int found = reader.u16("certification_data_type");
    if (found != type) {
      throw reader.malformed(
          String.format(
              Locale.ROOT,
              "certification data type %d where the %s (type %d) belongs; Sentry reads no other",
              found,
              what,
              type));
    }
    long size = reader.u32("certification_data_size");
    if (size != reader.remaining()) {
      throw reader.malformed(
          String.format(
              Locale.ROOT, "the %s says %d bytes, but %d follow", what, size, reader.remaining()));
    }
    return size;
  }
}
