package org.sentryml.confidential.tee;

import java.util.List;
import java.util.Optional;

/**
 * The TD report body of a TDX quote: 584 bytes for TDX 1.0, 648 for TDX 1.5 (quote version 5, body
 * type 3), which appends TEE_TCB_SVN_2 and MRSERVICETD. Offsets in docs/ATTESTATION.md.
 *
 * @param tdAttributes TD_ATTRIBUTES; bit 0 of its first byte is DEBUG
 * @param rtmrs RTMR0 to RTMR3
 */
record TdQuoteBody(
    Octets teeTcbSvn,
    Octets mrSeam,
    Octets mrSignerSeam,
    Octets seamAttributes,
    Octets tdAttributes,
    Octets xfam,
    Octets mrTd,
    Octets mrConfigId,
    Octets mrOwner,
    Octets mrOwnerConfig,
    List<Octets> rtmrs,
    Octets reportData,
    Optional<Octets> teeTcbSvn2,
    Optional<Octets> mrServiceTd) {
  static final int SIZE_TDX10 = 584;
  static final int SIZE_TDX15 = 648;

  static TdQuoteBody read(EvidenceReader reader, boolean tdx15) {
    Octets teeTcbSvn = reader.octets(16, "body.tee_tcb_svn");
    Octets mrSeam = reader.octets(48, "body.mr_seam");
    Octets mrSignerSeam = reader.octets(48, "body.mr_signer_seam");
    Octets seamAttributes = reader.octets(8, "body.seam_attributes");
    Octets tdAttributes = reader.octets(8, "body.td_attributes");
    Octets xfam = reader.octets(8, "body.xfam");
    Octets mrTd = reader.octets(48, "body.mr_td");
    Octets mrConfigId = reader.octets(48, "body.mr_config_id");
    Octets mrOwner = reader.octets(48, "body.mr_owner");
    Octets mrOwnerConfig = reader.octets(48, "body.mr_owner_config");
    List<Octets> rtmrs =
        List.of(
            reader.octets(48, "body.rtmr0"),
            reader.octets(48, "body.rtmr1"),
            reader.octets(48, "body.rtmr2"),
            reader.octets(48, "body.rtmr3"));
    Octets reportData = reader.octets(64, "body.report_data");
    Optional<Octets> teeTcbSvn2 =
        tdx15 ? Optional.of(reader.octets(16, "body.tee_tcb_svn_2")) : Optional.empty();
    Optional<Octets> mrServiceTd =
        tdx15 ? Optional.of(reader.octets(48, "body.mr_service_td")) : Optional.empty();
    return new TdQuoteBody(
        teeTcbSvn,
        mrSeam,
        mrSignerSeam,
        seamAttributes,
        tdAttributes,
        xfam,
        mrTd,
        mrConfigId,
        mrOwner,
        mrOwnerConfig,
        rtmrs,
        reportData,
        teeTcbSvn2,
        mrServiceTd);
  }

  /** Whether TD_ATTRIBUTES.DEBUG is set: the host's debugger can read the TD. */
  boolean debug() {
    return (tdAttributes.toByteArray()[0] & 1) != 0;
  }
}
