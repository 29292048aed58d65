package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;

class TdxVerifierTest {
  private final EvidenceVerifier verifier = new TdxVerifier();

  @Test
  void quoteVersion4VerifiesWithItsClaims() {
    Claims claims =
        verifier.verify(
            AttestationVectors.evidence(EvidenceType.TDX, "tdx/tdx_quote_4.dat"),
            AttestationVectors.VALID);
    assertEquals(EvidenceType.TDX, claims.type());
    assertEquals(
        "705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031",
        claims.measurement().hex());
    assertEquals(claims.measurement().hex(), claims.measurements().get("mr_td").toString());
    assertEquals(
        "7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429",
        claims.reportData().hex());
    assertEquals(DebugFlag.SET, claims.debug(), "TD_ATTRIBUTES 0100001000000000 has DEBUG set");
    assertEquals("0100001000000000", claims.measurements().get("td_attributes").toString());
    assertEquals("03000500000000000000000000000000", claims.tcb().get("tee_tcb_svn").toString());
    assertEquals("4", claims.tcb().get("quote_version").toString());
    assertEquals("50806f000000", claims.tcb().get("pck.fmspc").toString());
    assertEquals("11", claims.tcb().get("pck.pce_svn").toString());
    assertEquals("4", claims.tcb().get("qe.isv_svn").toString());
  }

  @Test
  void quoteVersion5VerifiesWithItsClaims() {
    Claims claims =
        verifier.verify(
            AttestationVectors.evidence(EvidenceType.TDX, "tdx/tdx_quote_5.dat"),
            AttestationVectors.VALID);
    assertEquals(
        "dfba221b48a22af8511542ee796603f37382800840dcd978703909bf8e64d4c8a1e9de86e7c9638bfcba422f3886400a",
        claims.measurement().hex());
    assertEquals(
        "6d6ab13b046cff606ac0074be13981b07b6325dba10b5facc96febf551c0c3be2b75f92fe1f88f4bb996969ad0174b4b7a70261b7b85c844f4b33a4674fd049f",
        claims.reportData().hex());
    assertEquals(DebugFlag.CLEAR, claims.debug());
    assertEquals("05010200000000000000000000000000", claims.tcb().get("tee_tcb_svn_2").toString());
    assertEquals(
        "383c87d3bbb047b2d171eaca95312ede99f258088dc788f6ae2ccf8b6dd848fe8d47629e08b3f6cbd4a00dd47a5a033d",
        claims.measurements().get("mr_service_td").toString());
  }

  @Test
  void theQuotesReportDataBindsNoOtherAttestation() {
    Claims claims =
        verifier.verify(
            AttestationVectors.evidence(EvidenceType.TDX, "tdx/tdx_quote_5.dat"),
            AttestationVectors.VALID);
    assertFalse(claims.bindsNonceAndKey(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK));
  }

  @Test
  void everyFlippedByteOfEitherQuoteIsRefused() {
    for (String quote : new String[] {"tdx/tdx_quote_4.dat", "tdx/tdx_quote_5.dat"}) {
      Evidence evidence = AttestationVectors.evidence(EvidenceType.TDX, quote);
      AttestationVectors.assertEveryFlipRefused(verifier, evidence, 0, evidence.report().length());
    }
  }

  @Test
  void everyTruncatedQuoteIsMalformed() {
    AttestationVectors.assertEveryTruncationMalformed(
        verifier, AttestationVectors.evidence(EvidenceType.TDX, "tdx/tdx_quote_4.dat"));
  }

  @Test
  void aChainThatHasExpiredAtTheGivenTimeIsRefused() {
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () ->
                verifier.verify(
                    AttestationVectors.evidence(EvidenceType.TDX, "tdx/tdx_quote_4.dat"),
                    AttestationVectors.EXPIRED));
    assertTrue(
        refusal.getMessage().contains("check certificate-chain failed"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains("had expired"), refusal.getMessage());
  }

  @Test
  void aQuoteUnderAnotherPlatformsPckChainIsRefused() {
    byte[] quote4 = AttestationVectors.bytes("tdx/tdx_quote_4.dat");
    String chain5 = QuoteSurgery.pckChain(AttestationVectors.bytes("tdx/tdx_quote_5.dat"));
    Evidence foreign = Evidence.of(EvidenceType.TDX, QuoteSurgery.withPckChain(quote4, chain5));
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(foreign, AttestationVectors.VALID));
    assertTrue(
        refusal.getMessage().contains("check qe-report-signature failed"), refusal.getMessage());
  }

  @Test
  void aChainEndingInAnotherRootIsRefusedByThePin() {
    byte[] quote = AttestationVectors.bytes("tdx/tdx_quote_4.dat");
    String chain = QuoteSurgery.pckChain(quote);
    String withoutRoot = chain.substring(0, chain.lastIndexOf("-----BEGIN CERTIFICATE-----"));
    String nvidiaRoot =
        new String(
            AttestationVectors.bytes("nvidia/nvidia_device_root.pem"), StandardCharsets.US_ASCII);
    Evidence rerooted =
        Evidence.of(EvidenceType.TDX, QuoteSurgery.withPckChain(quote, withoutRoot + nvidiaRoot));
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(rerooted, AttestationVectors.VALID));
    assertTrue(refusal.getMessage().contains("check root-pin failed"), refusal.getMessage());
    assertTrue(
        refusal.getMessage().contains("not the pinned Intel SGX Root CA"), refusal.getMessage());

    Evidence rootless =
        Evidence.of(EvidenceType.TDX, QuoteSurgery.withPckChain(quote, withoutRoot));
    VerificationFailedException missing =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(rootless, AttestationVectors.VALID));
    assertTrue(missing.getMessage().contains("check root-pin failed"), missing.getMessage());
  }

  @Test
  void theSurgeryItselfKeepsAQuoteValid() {
    byte[] quote = AttestationVectors.bytes("tdx/tdx_quote_5.dat");
    Evidence same =
        Evidence.of(
            EvidenceType.TDX, QuoteSurgery.withPckChain(quote, QuoteSurgery.pckChain(quote)));
    assertEquals(
        verifier.verify(Evidence.of(EvidenceType.TDX, quote), AttestationVectors.VALID),
        verifier.verify(same, AttestationVectors.VALID));
  }

  @Test
  void anSgxQuoteIsNotATdxQuote() {
    MalformedInputException refusal =
        assertThrows(
            MalformedInputException.class,
            () ->
                verifier.verify(
                    AttestationVectors.evidence(EvidenceType.TDX, "sgx/occlum_quote.dat"),
                    AttestationVectors.VALID));
    assertTrue(refusal.getMessage().contains("quote version 3"), refusal.getMessage());
  }

  @Test
  void certificatesBesideAQuoteAreAUsageError() {
    assertThrows(
        UsageException.class,
        () ->
            verifier.verify(
                AttestationVectors.evidence(
                    EvidenceType.TDX, "tdx/tdx_quote_4.dat", "snp/test-vcek.der"),
                AttestationVectors.VALID));
  }
}
