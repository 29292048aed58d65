package org.sentryml.confidential.tee;

/**
 * The 48-byte header of an Intel DCAP quote (versions 3 to 5).
 *
 * @param version 3 (SGX), 4 or 5 (TDX)
 * @param attestationKeyType 2 for ECDSA P-256, the only type DCAP quotes use
 * @param teeType 0 for SGX, 0x81 for TDX
 * @param qeSvn the quoting enclave's SVN (version 3; reserved in later versions)
 * @param pceSvn the provisioning certification enclave's SVN (version 3; reserved later)
 * @param qeVendorId the quoting enclave's vendor, Intel's {@code 939a7233…0607}
 */
record QuoteHeader(
    int version, int attestationKeyType, long teeType, int qeSvn, int pceSvn, Octets qeVendorId) {
  static final int SIZE = 48;
  static final int ECDSA_P256 = 2;

  static QuoteHeader read(EvidenceReader reader) {
    QuoteHeader header =
        new QuoteHeader(
            reader.u16("header.version"),
            reader.u16("header.attestation_key_type"),
            reader.u32("header.tee_type"),
            reader.u16("header.qe_svn"),
            reader.u16("header.pce_svn"),
            reader.octets(16, "header.qe_vendor_id"));
    // The user data (the QE's platform id hint) is signed with the header but claims nothing.
    reader.skip(20, "header.user_data");
    return header;
  }
}
