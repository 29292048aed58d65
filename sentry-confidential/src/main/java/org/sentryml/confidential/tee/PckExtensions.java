package org.sentryml.confidential.tee;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.sentryml.core.errors.MalformedInputException;

/**
 * The Intel SGX extension of a PCK certificate ({@code 1.2.840.113741.1.13.1}, Intel's PCK
 * Certificate and CRL Profile): the platform's FMSPC, PCE-ID, the TCB the PCK was issued for
 * (CPUSVN and PCESVN) and the SGX type. These are the keys into Intel's TCB collateral, so they
 * become claims for a {@link TcbEvaluator}.
 */
record PckExtensions(Octets fmspc, Octets pceId, Octets cpuSvn, long pceSvn, long sgxType) {
  private static final String SGX_EXTENSIONS = "1.2.840.113741.1.13.1";
  private static final ASN1ObjectIdentifier TCB = new ASN1ObjectIdentifier(SGX_EXTENSIONS + ".2");
  private static final ASN1ObjectIdentifier PCE_ID =
      new ASN1ObjectIdentifier(SGX_EXTENSIONS + ".3");
  private static final ASN1ObjectIdentifier FMSPC = new ASN1ObjectIdentifier(SGX_EXTENSIONS + ".4");
  private static final ASN1ObjectIdentifier SGX_TYPE =
      new ASN1ObjectIdentifier(SGX_EXTENSIONS + ".5");
  private static final ASN1ObjectIdentifier PCESVN = TCB.branch("17");
  private static final ASN1ObjectIdentifier CPUSVN = TCB.branch("18");

  /**
   * The extension of {@code pck}, a certificate whose chain has been verified.
   *
   * @throws MalformedInputException when the extension is missing or not as Intel's profile says
   */
  static PckExtensions of(X509Certificate pck, String document) {
    byte[] extension = pck.getExtensionValue(SGX_EXTENSIONS);
    if (extension == null) {
      throw new MalformedInputException(
          document + ": the PCK certificate has no SGX extension " + SGX_EXTENSIONS);
    }
    try {
      ASN1Sequence entries =
          ASN1Sequence.getInstance(ASN1OctetString.getInstance(extension).getOctets());
      ASN1Sequence tcb = ASN1Sequence.getInstance(value(entries, TCB));
      return new PckExtensions(
          octets(value(entries, FMSPC), 6),
          octets(value(entries, PCE_ID), 2),
          octets(value(tcb, CPUSVN), 16),
          ASN1Integer.getInstance(value(tcb, PCESVN)).longValueExact(),
          ASN1Enumerated.getInstance(value(entries, SGX_TYPE)).getValue().longValueExact());
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
      throw new MalformedInputException(
          document + ": the PCK certificate's SGX extension is malformed: " + e.getMessage(), e);
    }
  }

  /** The value of the {@code SEQUENCE {OID, value}} entry named {@code oid} (exactly one). */
  private static ASN1Primitive value(ASN1Sequence entries, ASN1ObjectIdentifier oid) {
    ASN1Primitive found = null;
    for (ASN1Encodable element : entries) {
      ASN1Sequence entry = ASN1Sequence.getInstance(element);
      if (entry.size() == 2 && oid.equals(entry.getObjectAt(0))) {
        if (found != null) {
          throw new IllegalArgumentException("entry " + oid + " appears twice");
        }
        found = entry.getObjectAt(1).toASN1Primitive();
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("no entry " + oid);
    }
    return found;
  }

  private static Octets octets(ASN1Primitive value, int length) {
    byte[] bytes = ASN1OctetString.getInstance(value).getOctets();
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          "an octet string of " + bytes.length + " bytes, not " + length);
    }
    return Octets.of(bytes);
  }
}
