package org.sentryml.confidential.tee;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.sentryml.core.errors.MalformedInputException;

/**
 * The AMD extensions of a VCEK or VLEK certificate (AMD's VCEK Certificate and KDS Interface
 * Specification, table "VCEK certificate extensions"): the product name, the security patch level
 * of each TCB component the key was derived for, and (VCEK only) the chip's hardware id.
 *
 * @param productName e.g. {@code Milan-B0} (VCEK) or {@code Milan} (VLEK)
 * @param spls the TCB components' patch levels by the names of {@link SnpProductLine#tcbComponents}
 * @param hardwareId the 64-byte chip id, absent from VLEKs
 */
record AmdKeyExtensions(
    String productName, SequencedMap<String, Long> spls, Optional<Octets> hardwareId) {
  private static final String AMD = "1.3.6.1.4.1.3704.1.";
  private static final String PRODUCT_NAME = AMD + "2";
  private static final String HARDWARE_ID = AMD + "4";
  private static final Map<String, String> SPL_OIDS =
      Map.of(
          "bootloader", AMD + "3.1",
          "tee", AMD + "3.2",
          "snp", AMD + "3.3",
          "microcode", AMD + "3.8",
          "fmc", AMD + "3.9");
  private static final int CHIP_ID_BYTES = 64;

  /**
   * The extensions of {@code certificate}, reading the SPLs that {@code components} names.
   *
   * @throws MalformedInputException when one is missing or not encoded as AMD specifies
   */
  static AmdKeyExtensions of(
      X509Certificate certificate, Iterable<String> components, String document) {
    String product;
    try {
      product =
          ASN1IA5String.getInstance(required(certificate, PRODUCT_NAME, "productName", document))
              .getString();
    } catch (IllegalArgumentException e) {
      throw malformed(document, "productName is not an IA5String", e);
    }
    SequencedMap<String, Long> spls = new LinkedHashMap<>();
    for (String component : components) {
      ASN1Primitive value =
          required(certificate, SPL_OIDS.get(component), component + " SPL", document);
      try {
        spls.put(component, ASN1Integer.getInstance(value).longValueExact());
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw malformed(document, component + " SPL is not an integer", e);
      }
    }
    return new AmdKeyExtensions(product, spls, hardwareId(certificate, document));
  }

  /**
   * The hwID extension. AMD's KDS first issued it as the raw 64 bytes and later as a DER OCTET
   * STRING holding them; both are read.
   */
  private static Optional<Octets> hardwareId(X509Certificate certificate, String document) {
    byte[] value = extension(certificate, HARDWARE_ID, document);
    if (value == null) {
      return Optional.empty();
    }
    if (value.length == CHIP_ID_BYTES) {
      return Optional.of(Octets.of(value));
    }
    if (value.length == CHIP_ID_BYTES + 2 && value[0] == 0x04 && value[1] == CHIP_ID_BYTES) {
      return Optional.of(Octets.of(value, 2, CHIP_ID_BYTES));
    }
    throw malformed(
        document,
        "hwID is " + value.length + " bytes, neither the 64-byte chip id nor an octet string of it",
        null);
  }

  private static ASN1Primitive required(
      X509Certificate certificate, String oid, String name, String document) {
    byte[] value = extension(certificate, oid, document);
    if (value == null) {
      throw malformed(document, "no " + name + " extension (" + oid + ")", null);
    }
    try {
      return ASN1Primitive.fromByteArray(value);
    } catch (IOException | IllegalArgumentException e) {
      throw malformed(document, name + " extension is not DER", e);
    }
  }

  /** The extension's extnValue octets, or null without it. */
  private static byte[] extension(X509Certificate certificate, String oid, String document) {
    byte[] wrapped = certificate.getExtensionValue(oid);
    if (wrapped == null) {
      return null;
    }
    try {
      return ASN1OctetString.getInstance(wrapped).getOctets();
    } catch (IllegalArgumentException e) {
      throw malformed(document, "extension " + oid + " is not an octet string", e);
    }
  }

  private static MalformedInputException malformed(String document, String why, Exception cause) {
    return new MalformedInputException(document + ": " + why, cause);
  }
}
