package org.sentryml.confidential.tee;

import java.time.Instant;

/**
 * Verifies Intel TDX quotes (versions 4 and 5) through {@link IntelQuoteChecks} with the TD quoting
 * enclave's identity, and claims the TD's measurements (MRTD, RTMR0–3, the configuration and owner
 * registers, TD_ATTRIBUTES and XFAM), its TCB (TEE_TCB_SVN, the TDX module's identity, the QE's and
 * PCK's values), TD_ATTRIBUTES.DEBUG and REPORTDATA.
 */
final class TdxVerifier implements EvidenceVerifier {
  @Override
  public EvidenceType type() {
    return EvidenceType.TDX;
  }

  @Override
  public Claims verify(Evidence evidence, Instant time) {
    evidence.requireType(this);
    evidence.requireNoCertificates("the quote carries its PCK chain");
    TdxQuote quote = TdxQuote.parse(evidence.report().toByteArray());
    PckExtensions pck =
        IntelQuoteChecks.verify(
            type(),
            quote.header(),
            quote.signedBytes(),
            quote.signature(),
            QuotingEnclave.TD_QE,
            time);
    TdQuoteBody body = quote.body();
    ClaimsBuilder claims = new ClaimsBuilder().measurement("mr_td", body.mrTd());
    for (int i = 0; i < body.rtmrs().size(); i++) {
      claims.measurement("rtmr" + i, body.rtmrs().get(i));
    }
    claims
        .measurement("mr_config_id", body.mrConfigId())
        .measurement("mr_owner", body.mrOwner())
        .measurement("mr_owner_config", body.mrOwnerConfig())
        .measurement("td_attributes", body.tdAttributes())
        .measurement("xfam", body.xfam());
    body.mrServiceTd().ifPresent(value -> claims.measurement("mr_service_td", value));
    claims.tcb("quote_version", quote.header().version()).tcb("tee_tcb_svn", body.teeTcbSvn());
    body.teeTcbSvn2().ifPresent(value -> claims.tcb("tee_tcb_svn_2", value));
    claims
        .tcb("mr_seam", body.mrSeam())
        .tcb("mr_signer_seam", body.mrSignerSeam())
        .tcb("seam_attributes", body.seamAttributes());
    IntelQuoteChecks.tcbClaims(claims, quote.signature().qeReport(), pck);
    return claims.build(
        type(), body.mrTd(), body.debug() ? DebugFlag.SET : DebugFlag.CLEAR, body.reportData());
  }
}
