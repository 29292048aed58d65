package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.VerificationFailedException;

class NvidiaVerifierTest {
  private static final String REPORT = "nvidia/hopperAttestationReport.txt";
  private final EvidenceVerifier verifier = new NvidiaVerifier();
  private final Evidence hopper =
      AttestationVectors.evidence(
          EvidenceType.NVIDIA, REPORT, "nvidia/hopper_cert_chain_case1.txt");
  private final Evidence hopperBinary =
      new Evidence(
          EvidenceType.NVIDIA,
          Octets.of(
              HexFormat.of()
                  .parseHex(
                      new String(AttestationVectors.bytes(REPORT), StandardCharsets.US_ASCII)
                          .strip())),
          hopper.certificates());

  @Test
  void hopperReportVerifiesWithItsClaims() {
    Claims claims = verifier.verify(hopper, AttestationVectors.VALID);
    assertEquals(EvidenceType.NVIDIA, claims.type());
    assertEquals(
        "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb",
        claims.reportData().hex(),
        "the request nonce");
    assertEquals(DebugFlag.NOT_REPORTED, claims.debug());
    assertEquals(64, claims.measurements().size());
    assertEquals("550.90.07", claims.tcb().get("driver_version").toString());
    assertEquals("96.00.9f.00.01", claims.tcb().get("vbios_version").toString());
    assertEquals(
        "f5c384aebb579217a2c66b17ed0f28e6a9b8d639041acd7b4721cec004f7275494ba94bb5cdfdb3055ee051762b1f75d",
        claims.tcb().get("fwid").toString());
  }

  @Test
  void theBinaryFormVerifiesLikeTheHexText() {
    assertEquals(
        verifier.verify(hopper, AttestationVectors.VALID),
        verifier.verify(hopperBinary, AttestationVectors.VALID));
  }

  /** Over the binary report: its hex text is only an encoding of these bytes. */
  @Test
  void everyFlippedByteOfTheReportIsRefused() {
    AttestationVectors.assertEveryFlipRefused(
        verifier, hopperBinary, 0, hopperBinary.report().length());
  }

  @Test
  void everyTruncatedReportIsMalformed() {
    AttestationVectors.assertEveryTruncationMalformed(verifier, hopperBinary);
  }

  @Test
  void aChainOfTheRootAloneIsRefused() {
    assertRefusedBy(
        "certificate-chain",
        "nvidia/hopper_cert_chain_case2.txt",
        "holds no certificate below the root");
  }

  @Test
  void aChainMissingAnIntermediateIsRefused() {
    assertRefusedBy(
        "certificate-chain",
        "nvidia/hopper_cert_chain_case3.txt",
        "but the next certificate up is");
  }

  @Test
  void aChainMissingTheSigningCertificateIsRefused() {
    assertRefusedBy(
        "certificate-chain",
        "nvidia/hopper_cert_chain_case4.txt",
        "does not allow digital signatures");
  }

  private void assertRefusedBy(String check, String chain, String reason) {
    Evidence evidence = AttestationVectors.evidence(EvidenceType.NVIDIA, REPORT, chain);
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(evidence, AttestationVectors.VALID));
    assertTrue(refusal.getMessage().contains("check " + check + " failed"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains(reason), refusal.getMessage());
  }
}
