package org.sentryml.confidential.tee;

import java.time.Instant;

/**
 * Verifies Intel SGX quotes (version 3) through {@link IntelQuoteChecks} with the SGX quoting
 * enclave's identity, and claims the enclave's identity (MRENCLAVE, MRSIGNER, ISVPRODID, ISVSVN,
 * the extended and family product ids, CONFIGID and CONFIGSVN), its TCB (CPUSVN, the header's QE
 * and PCE SVNs, the QE's and PCK's values), ATTRIBUTES.DEBUG and REPORTDATA.
 */
final class SgxVerifier implements EvidenceVerifier {
  @Override
  public EvidenceType type() {
    return EvidenceType.SGX;
  }

  @Override
  public Claims verify(Evidence evidence, Instant time) {
    evidence.requireType(this);
    evidence.requireNoCertificates("the quote carries its PCK chain");
    SgxQuote quote = SgxQuote.parse(evidence.report().toByteArray());
    PckExtensions pck =
        IntelQuoteChecks.verify(
            type(),
            quote.header(),
            quote.signedBytes(),
            quote.signature(),
            QuotingEnclave.SGX_QE3,
            time);
    SgxReportBody body = quote.body();
    ClaimsBuilder claims =
        new ClaimsBuilder()
            .measurement("mr_enclave", body.mrEnclave())
            .measurement("mr_signer", body.mrSigner())
            .measurement("isv_prod_id", body.isvProdId())
            .measurement("isv_svn", body.isvSvn())
            .measurement("isv_ext_prod_id", body.isvExtProdId())
            .measurement("isv_family_id", body.isvFamilyId())
            .measurement("config_id", body.configId())
            .measurement("config_svn", body.configSvn())
            .measurement("misc_select", body.miscSelect())
            .measurement("attributes", body.attributes())
            .tcb("quote_version", quote.header().version())
            .tcb("cpu_svn", body.cpuSvn())
            .tcb("header.qe_svn", quote.header().qeSvn())
            .tcb("header.pce_svn", quote.header().pceSvn());
    IntelQuoteChecks.tcbClaims(claims, quote.signature().qeReport(), pck);
    return claims.build(
        type(),
        body.mrEnclave(),
        body.debug() ? DebugFlag.SET : DebugFlag.CLEAR,
        body.reportData());
  }
}
