package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;

class SnpVerifierTest {
  private final EvidenceVerifier verifier = new SnpVerifier();
  private final Evidence vcekReport =
      AttestationVectors.evidence(EvidenceType.SNP, "snp/test-report.bin", "snp/test-vcek.der");
  private final Evidence vlekReport =
      AttestationVectors.evidence(
          EvidenceType.SNP, "snp/test-vlek-report.bin", "snp/test-vlek.der");

  @Test
  void reportSignedByTheVcekVerifiesWithItsClaims() {
    Claims claims = verifier.verify(vcekReport, AttestationVectors.VALID);
    assertEquals(EvidenceType.SNP, claims.type());
    assertEquals(
        "a1f393041324 7bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c"
            .replace(" ", ""),
        claims.measurement().hex());
    assertEquals(
        "ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2" + "00".repeat(32),
        claims.reportData().hex());
    assertEquals(DebugFlag.CLEAR, claims.debug(), "policy 0x3001f has DEBUG (bit 19) clear");
    assertEquals("196639", claims.measurements().get("policy").toString());
    assertEquals("0", claims.measurements().get("vmpl").toString());
    assertEquals("00".repeat(32), claims.measurements().get("host_data").toString());
    assertEquals("Milan", claims.tcb().get("product").toString());
    assertEquals("vcek", claims.tcb().get("signing_key").toString());
    assertEquals("3", claims.tcb().get("reported_tcb.bootloader").toString());
    assertEquals("0", claims.tcb().get("reported_tcb.tee").toString());
    assertEquals("8", claims.tcb().get("reported_tcb.snp").toString());
    assertEquals("115", claims.tcb().get("reported_tcb.microcode").toString());
    assertEquals("206", claims.tcb().get("current_tcb.microcode").toString());
    assertEquals("1.52.4", claims.tcb().get("current_version").toString());
  }

  @Test
  void reportSignedByAVlekVerifiesWithItsClaims() {
    Claims claims = verifier.verify(vlekReport, AttestationVectors.VALID);
    assertEquals(
        "8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0",
        claims.measurement().hex());
    assertEquals("vlek", claims.tcb().get("signing_key").toString());
    assertEquals("Milan", claims.tcb().get("product").toString());
    assertEquals("1", claims.measurements().get("vmpl").toString());
    assertEquals(DebugFlag.CLEAR, claims.debug());
    assertEquals("217", claims.tcb().get("reported_tcb.microcode").toString());
  }

  @Test
  void everyFlippedByteOfEitherReportIsRefused() {
    AttestationVectors.assertEveryFlipRefused(verifier, vcekReport, 0, SnpReport.SIZE);
    AttestationVectors.assertEveryFlipRefused(verifier, vlekReport, 0, SnpReport.SIZE);
  }

  @Test
  void everyTruncatedReportIsMalformed() {
    AttestationVectors.assertEveryTruncationMalformed(verifier, vcekReport);
  }

  @Test
  void aVcekReportUnderTheVlekIsRefusedByItsSigningKey() {
    assertRefusedBy(
        "signing-key",
        AttestationVectors.evidence(EvidenceType.SNP, "snp/test-report.bin", "snp/test-vlek.der"),
        "the report says it is signed by a VCEK, but the certificate given is a VLEK");
    assertRefusedBy(
        "signing-key",
        AttestationVectors.evidence(
            EvidenceType.SNP, "snp/test-vlek-report.bin", "snp/test-vcek.der"),
        "the report says it is signed by a VLEK, but the certificate given is a VCEK");
  }

  @ParameterizedTest
  @ValueSource(strings = {"snp/test-vcek-invalid-legacy.der", "snp/test-vcek-invalid-new.der"})
  void invalidVceksAreRefused(String vcek) {
    assertRefusedBy(
        "certificate-chain",
        AttestationVectors.evidence(EvidenceType.SNP, "snp/test-report.bin", vcek),
        "is signed by none of AMD's keys");
  }

  @Test
  void aVcekThatHasExpiredAtTheGivenTimeIsRefused() {
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(vcekReport, AttestationVectors.EXPIRED));
    assertTrue(
        refusal.getMessage().contains("check certificate-chain failed")
            && refusal.getMessage().contains("had expired"),
        refusal.getMessage());
    VerificationFailedException early =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(vlekReport, Instant.parse("2026-01-01T00:00:00Z")));
    assertTrue(
        early.getMessage().contains("had expired at 2026-01-01T00:00:00Z"), early.getMessage());
  }

  @Test
  void theVcekMayComeAsPemWithAmdsOwnChain() throws Exception {
    String vcek = pem(AttestationVectors.bytes("snp/test-vcek.der"));
    String amd =
        new String(
            AttestationVectors.bytes("amd-roots/milan_ask_ark_asvk.pem"),
            StandardCharsets.US_ASCII);
    Evidence withChain =
        new Evidence(
            EvidenceType.SNP,
            vcekReport.report(),
            Octets.of((vcek + amd).getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        verifier.verify(vcekReport, AttestationVectors.VALID),
        verifier.verify(withChain, AttestationVectors.VALID));

    String genoa =
        new String(
            AttestationVectors.bytes("amd-roots/genoa_ask_ark_asvk.pem"),
            StandardCharsets.US_ASCII);
    Evidence foreign =
        new Evidence(
            EvidenceType.SNP,
            vcekReport.report(),
            Octets.of((vcek + genoa).getBytes(StandardCharsets.US_ASCII)));
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(foreign, AttestationVectors.VALID));
    assertTrue(refusal.getMessage().contains("check root-pin failed"), refusal.getMessage());
  }

  @Test
  void aReportNeedsItsCertificate() {
    assertThrows(
        UsageException.class,
        () ->
            verifier.verify(
                AttestationVectors.evidence(EvidenceType.SNP, "snp/test-report.bin"),
                AttestationVectors.VALID));
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  private void assertRefusedBy(String check, Evidence evidence, String reason) {
    VerificationFailedException refusal =
        assertThrows(
            VerificationFailedException.class,
            () -> verifier.verify(evidence, AttestationVectors.VALID));
    assertTrue(refusal.getMessage().contains("check " + check + " failed"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains(reason), refusal.getMessage());
  }
}
