package org.sentryml.confidential.tee;

/**
 * An SGX enclave report body (384 bytes): the body of an SGX quote, and the quoting enclave's own
 * report inside every DCAP quote. Offsets in docs/ATTESTATION.md.
 *
 * @param attributes ATTRIBUTES: 8 bytes of flags (bit 1 of the first is DEBUG), 8 of XFRM
 */
record SgxReportBody(
    Octets cpuSvn,
    long miscSelect,
    Octets isvExtProdId,
    Octets attributes,
    Octets mrEnclave,
    Octets mrSigner,
    Octets configId,
    int isvProdId,
    int isvSvn,
    int configSvn,
    Octets isvFamilyId,
    Octets reportData) {
  static final int SIZE = 384;
  private static final int DEBUG = 1 << 1;

  static SgxReportBody read(EvidenceReader reader, String prefix) {
    Octets cpuSvn = reader.octets(16, prefix + "cpu_svn");
    long miscSelect = reader.u32(prefix + "misc_select");
    reader.skip(12, prefix + "reserved1");
    Octets isvExtProdId = reader.octets(16, prefix + "isv_ext_prod_id");
    Octets attributes = reader.octets(16, prefix + "attributes");
    Octets mrEnclave = reader.octets(32, prefix + "mr_enclave");
    reader.skip(32, prefix + "reserved2");
    Octets mrSigner = reader.octets(32, prefix + "mr_signer");
    reader.skip(32, prefix + "reserved3");
    Octets configId = reader.octets(64, prefix + "config_id");
    int isvProdId = reader.u16(prefix + "isv_prod_id");
    int isvSvn = reader.u16(prefix + "isv_svn");
    int configSvn = reader.u16(prefix + "config_svn");
    reader.skip(42, prefix + "reserved4");
    Octets isvFamilyId = reader.octets(16, prefix + "isv_family_id");
    Octets reportData = reader.octets(64, prefix + "report_data");
    return new SgxReportBody(
        cpuSvn,
        miscSelect,
        isvExtProdId,
        attributes,
        mrEnclave,
        mrSigner,
        configId,
        isvProdId,
        isvSvn,
        configSvn,
        isvFamilyId,
        reportData);
  }

  /** Whether ATTRIBUTES.DEBUG is set: a debugger can read the enclave. */
  boolean debug() {
    return (attributes.toByteArray()[0] & DEBUG) != 0;
  }
}
