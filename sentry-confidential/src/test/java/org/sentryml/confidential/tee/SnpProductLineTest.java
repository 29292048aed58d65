package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnpProductLineTest {
  @Test
  void everyLinesAmdKeysAreSignedByItsPinnedArk() throws Exception {
    for (SnpProductLine line : SnpProductLine.values()) {
      for (SnpSigningKey kind : SnpSigningKey.values()) {
        X509Certificate issuer = line.issuerOf(kind);
        issuer.verify(line.ark().certificate().getPublicKey());
        assertEquals(
            line.ark().certificate().getSubjectX500Principal(), issuer.getIssuerX500Principal());
        assertTrue(issuer.getBasicConstraints() >= 0, issuer + " is a CA");
        assertTrue(line.isAmdCertificate(issuer));
      }
    }
  }

  @Test
  void milanAndGenoaTcbVersionsKeepSnpAndMicrocodeInTheTopBytes() {
    long tcb = 0x7308000000000003L;
    Map<String, Long> expected = Map.of("bootloader", 3L, "tee", 0L, "snp", 8L, "microcode", 0x73L);
    assertEquals(expected, SnpProductLine.MILAN.tcbComponents(tcb));
    assertEquals(expected, SnpProductLine.GENOA.tcbComponents(tcb));
  }

  @Test
  void turinTcbVersionsStartWithTheFmc() {
    assertEquals(
        List.of("fmc", "bootloader", "tee", "snp", "microcode"),
        List.copyOf(SnpProductLine.TURIN.tcbComponents(0).keySet()));
    assertEquals(
        Map.of("fmc", 1L, "bootloader", 2L, "tee", 3L, "snp", 4L, "microcode", 5L),
        SnpProductLine.TURIN.tcbComponents(0x0500000004030201L));
  }
}
