package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;

class CertificatesTest {
  private static final String ROOT =
      new String(
          AttestationVectors.bytes("nvidia/nvidia_device_root.pem"), StandardCharsets.US_ASCII);

  @Test
  void aChainOfBlocksParsesInOrder() {
    assertEquals(
        5,
        Certificates.fromPem(
                AttestationVectors.bytes("nvidia/hopper_cert_chain_case1.txt"), "chain")
            .size());
    assertEquals(
        1,
        Certificates.fromPem(("\n\n" + ROOT + "\r\n").getBytes(StandardCharsets.US_ASCII), "root")
            .size());
  }

  @Test
  void base64WithNonZeroSpareBitsIsRefused() {
    // The body ends "…Ag==" or similar: raise the spare low bits of the last data character.
    int padding = ROOT.indexOf('=');
    assertTrue(padding > 0, "the root's base64 ends in padding");
    char last = ROOT.charAt(padding - 1);
    String sloppy = ROOT.substring(0, padding - 1) + (char) (last + 1) + ROOT.substring(padding);
    MalformedInputException refusal =
        assertThrows(
            MalformedInputException.class,
            () -> Certificates.fromPem(sloppy.getBytes(StandardCharsets.US_ASCII), "root"));
    assertTrue(refusal.getMessage().contains("canonical"), refusal.getMessage());
  }

  @Test
  void anythingButCertificateBlocksIsRefused() {
    for (String text :
        new String[] {
          "",
          "junk\n" + ROOT,
          ROOT + "junk",
          ROOT.replace("CERTIFICATE", "PUBLIC KEY"),
          ROOT.substring(0, ROOT.indexOf("-----END")),
          ROOT.replace('A', '\u00c4')
        }) {
      assertThrows(
          MalformedInputException.class,
          () -> Certificates.fromPem(text.getBytes(StandardCharsets.ISO_8859_1), "pem"),
          text);
    }
  }

  @Test
  void derWithBytesAfterTheCertificateIsRefused() {
    byte[] der = AttestationVectors.bytes("snp/test-vcek.der");
    Certificates.fromDer(der, "vcek");
    byte[] longer = Arrays.copyOf(der, der.length + 1);
    MalformedInputException refusal =
        assertThrows(MalformedInputException.class, () -> Certificates.fromDer(longer, "vcek"));
    assertTrue(refusal.getMessage().contains("bytes after"), refusal.getMessage());
  }
}
