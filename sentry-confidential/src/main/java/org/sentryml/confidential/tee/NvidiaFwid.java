package org.sentryml.confidential.tee;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.sentryml.core.errors.MalformedInputException;

/**
 * The firmware id an NVIDIA device certificate was issued for: the SHA-384 FWID in its TCG DICE
 * extension {@code 2.23.133.5.4.1}. NVIDIA's GPU certificates hold there a {@code SEQUENCE} whose
 * members include one FWID, {@code SEQUENCE {hashAlg OID, digest OCTET STRING}}; the FWID is found
 * among the members (and inside tagged members, as the DICE TcbInfo form nests it), and there must
 * be exactly one with SHA-384.
 */
final class NvidiaFwid {
  private static final String DICE_TCB_INFO = "2.23.133.5.4.1";
  private static final ASN1ObjectIdentifier SHA384 =
      new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.2");
  private static final int MAX_DEPTH = 4;

  private NvidiaFwid() {}

  /**
   * The certificate's SHA-384 FWID, or empty when it has no DICE extension (a CA certificate).
   *
   * @throws MalformedInputException when the extension does not hold exactly one SHA-384 FWID
   */
  static Optional<Octets> of(X509Certificate certificate, String document) {
    byte[] wrapped = certificate.getExtensionValue(DICE_TCB_INFO);
    if (wrapped == null) {
      return Optional.empty();
    }
    List<Octets> found = new ArrayList<>();
    try {
      collect(
          ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(wrapped).getOctets()), found, 0);
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new MalformedInputException(
          document + ": the DICE extension " + DICE_TCB_INFO + " is not DER: " + e.getMessage(), e);
    }
    if (found.size() != 1) {
      throw new MalformedInputException(
          document
              + ": the DICE extension "
              + DICE_TCB_INFO
              + " holds "
              + found.size()
              + " SHA-384 FWIDs, not one");
    }
    return Optional.of(found.getFirst());
  }

  private static void collect(ASN1Primitive value, List<Octets> found, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    if (value instanceof ASN1TaggedObject tagged && tagged.isExplicit()) {
      collect(tagged.getExplicitBaseObject().toASN1Primitive(), found, depth + 1);
    } else if (value instanceof ASN1TaggedObject tagged) {
      collect(tagged.getBaseUniversal(false, BERTags.SEQUENCE), found, depth + 1);
    } else if (value instanceof ASN1Sequence sequence) {
      if (sequence.size() == 2
          && SHA384.equals(sequence.getObjectAt(0))
          && sequence.getObjectAt(1) instanceof ASN1OctetString digest) {
        found.add(Octets.of(digest.getOctets()));
        return;
      }
      for (ASN1Encodable member : sequence) {
        collect(member.toASN1Primitive(), found, depth + 1);
      }
    }
  }
}
