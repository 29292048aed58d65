package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;

class SgxVerifierTest {
  private final EvidenceVerifier verifier = new SgxVerifier();
  private final Evidence occlum =
      AttestationVectors.evidence(EvidenceType.SGX, "sgx/occlum_quote.dat");

  @Test
  void occlumQuoteVerifiesWithItsClaims() {
    Claims claims = verifier.verify(occlum, AttestationVectors.VALID);
    assertEquals(EvidenceType.SGX, claims.type());
    assertEquals(
        "8f173e4613ff05c52aaf04162d234edae8c9977eae47eb2299ae16a553011c68",
        claims.measurement().hex());
    assertEquals(
        "83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e",
        claims.measurements().get("mr_signer").toString());
    assertEquals("0", claims.measurements().get("isv_prod_id").toString());
    assertEquals("0", claims.measurements().get("isv_svn").toString());
    assertEquals(
        "74657374" + "00".repeat(60),
        claims.reportData().hex(),
        "report data is \"test\" and zeros");
    assertEquals(DebugFlag.SET, claims.debug(), "ATTRIBUTES flags 0x07 include DEBUG (bit 1)");
    assertEquals("06060c0cffff00000000000000000000", claims.tcb().get("cpu_svn").toString());
    assertEquals("8", claims.tcb().get("header.qe_svn").toString());
    assertEquals("13", claims.tcb().get("header.pce_svn").toString());
    assertEquals("8", claims.tcb().get("qe.isv_svn").toString());
  }

  @Test
  void everyFlippedByteIsRefused() {
    AttestationVectors.assertEveryFlipRefused(verifier, occlum, 0, occlum.report().length());
  }

  @Test
  void everyTruncatedQuoteIsMalformed() {
    AttestationVectors.assertEveryTruncationMalformed(verifier, occlum);
  }

  @Test
  void aTdxQuoteIsNotAnSgxQuote() {
    MalformedInputException refusal =
        assertThrows(
            MalformedInputException.class,
            () ->
                verifier.verify(
                    AttestationVectors.evidence(EvidenceType.SGX, "tdx/tdx_quote_5.dat"),
                    AttestationVectors.VALID));
    assertTrue(refusal.getMessage().contains("quote version 5"), refusal.getMessage());
  }
}
