package org.sentryml.confidential.tee;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a vendor's certificate chain down from a root pinned in this jar — the one piece of chain
 * checking every verifier shares. The checks are made by hand rather than by PKIX path building so
 * that each failure names the certificate and the rule: every certificate's signature by the next
 * one up, its validity at the given time (the root's too), that every issuer is a CA whose key
 * usage allows certificate signing and whose path length covers the CAs below it, that the leaf's
 * key usage (when present) allows signatures, and that no certificate has a critical extension
 * these rules do not cover. Revocation is not checked (it needs the vendors' CRLs, which are
 * collateral). Stateless and thread-safe.
 */
final class VendorChain {
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final List<String> KEY_USAGE_NAMES =
      List.of(
          "digitalSignature",
          "nonRepudiation",
          "keyEncipherment",
          "dataEncipherment",
          "keyAgreement",
          "keyCertSign",
          "cRLSign",
          "encipherOnly",
          "decipherOnly");
  private static final Set<String> UNDERSTOOD_CRITICAL =
      Set.of(
          "2.5.29.15", // keyUsage
          "2.5.29.19"); // basicConstraints

  private VendorChain() {}

  /**
   * The chain that evidence carries, less its last certificate, which must be the pinned root.
   *
   * @param chainName names the chain in messages ("PCK certificate chain")
   * @throws org.sentryml.core.errors.VerificationFailedException ({@link Check#ROOT_PIN}) when the
   *     last certificate is not the pinned root
   */
  static List<X509Certificate> belowPinnedRoot(
      EvidenceType type, String chainName, List<X509Certificate> carried, PinnedRoot root) {
    X509Certificate last = carried.getLast();
    if (!root.is(last)) {
      throw Check.ROOT_PIN.failed(
          type,
          String.format(
              Locale.ROOT,
              "the %s ends in %s (SHA-256 %s), not the pinned %s (SHA-256 %s)",
              chainName,
              Certificates.name(last),
              Certificates.fingerprint(last),
              root.description(),
              root.fingerprint()));
    }
    return carried.subList(0, carried.size() - 1);
  }

  /**
   * Checks that {@code path} chains to {@code root} at {@code time}.
   *
   * @param path the leaf first, each certificate issued by the next, the last one by the root
   * @throws org.sentryml.core.errors.VerificationFailedException ({@link Check#CERTIFICATE_CHAIN})
   *     naming the certificate and the rule that failed
   */
  static void verify(
      EvidenceType type,
      String chainName,
      List<X509Certificate> path,
      PinnedRoot root,
      Instant time) {
    if (path.isEmpty()) {
      throw Check.CERTIFICATE_CHAIN.failed(
          type, "the " + chainName + " holds no certificate below the root");
    }
    List<X509Certificate> all = new ArrayList<>(path);
    all.add(root.certificate());
    for (int i = 0; i < all.size(); i++) {
      X509Certificate certificate = all.get(i);
      String who = describe(chainName, all, i);
      checkValidity(type, who, certificate, time);
      checkCriticalExtensions(type, who, certificate);
      if (i == 0) {
        checkLeafUsage(type, who, certificate);
      }
      if (i + 1 < all.size()) {
        checkIssuedBy(type, who, certificate, describe(chainName, all, i + 1), all.get(i + 1), i);
      }
    }
  }

  private static void checkIssuedBy(
      EvidenceType type,
      String who,
      X509Certificate child,
      String issuerWho,
      X509Certificate issuer,
      int casBelowIssuer) {
    if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw Check.CERTIFICATE_CHAIN.failed(
          type,
          String.format(
              Locale.ROOT,
              "%s names its issuer %s, but the next certificate up is %s",
              who,
              Certificates.name(child.getIssuerX500Principal()),
              issuerWho));
    }
    try {
      child.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw Check.CERTIFICATE_CHAIN.failed(
          type,
          String.format(
              Locale.ROOT,
              "the signature on %s does not verify with the key of %s (%s)",
              who,
              issuerWho,
              e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    int pathLength = issuer.getBasicConstraints();
    if (pathLength < 0) {
      throw Check.CERTIFICATE_CHAIN.failed(
          type,
          issuerWho
              + " issued "
              + who
              + " but is not a CA (its basic constraints do not say CA:TRUE)");
    }
    boolean[] usage = issuer.getKeyUsage();
    if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
      throw Check.CERTIFICATE_CHAIN.failed(
          type,
          issuerWho + " issued " + who + " but its key usage does not allow signing certificates");
    }
    // The leaf is no CA: the CAs below this issuer are the intermediates between it and the leaf.
    if (casBelowIssuer > pathLength) {
      throw Check.CERTIFICATE_CHAIN.failed(
          type,
          String.format(
              Locale.ROOT,
              "%s allows %d CA certificate(s) below it, but %d follow",
              issuerWho,
              pathLength,
              casBelowIssuer));
    }
  }

  private static void checkValidity(
      EvidenceType type, String who, X509Certificate certificate, Instant time) {
    try {
      certificate.checkValidity(Date.from(time));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      boolean expired = e instanceof CertificateExpiredException;
      throw Check.CERTIFICATE_CHAIN.failed(
          type,
          String.format(
              Locale.ROOT,
              "%s %s at %s (valid from %s to %s)",
              who,
              expired ? "had expired" : "was not yet valid",
              time,
              certificate.getNotBefore().toInstant(),
              certificate.getNotAfter().toInstant()));
    }
  }

  private static void checkCriticalExtensions(
      EvidenceType type, String who, X509Certificate certificate) {
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    if (critical == null) {
      return;
    }
    for (String oid : critical) {
      if (!UNDERSTOOD_CRITICAL.contains(oid)) {
        throw Check.CERTIFICATE_CHAIN.failed(
            type, who + " has a critical extension " + oid + " that the chain rules do not cover");
      }
    }
  }

  private static void checkLeafUsage(EvidenceType type, String who, X509Certificate leaf) {
    boolean[] usage = leaf.getKeyUsage();
    if (usage != null && (usage.length <= DIGITAL_SIGNATURE || !usage[DIGITAL_SIGNATURE])) {
      throw Check.CERTIFICATE_CHAIN.failed(
          type,
          who
              + " signs the evidence, but its key usage "
              + keyUsageNames(usage)
              + " does not allow digital signatures");
    }
  }

  private static List<String> keyUsageNames(boolean[] usage) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < usage.length; i++) {
      if (usage[i]) {
        names.add(i < KEY_USAGE_NAMES.size() ? KEY_USAGE_NAMES.get(i) : "bit " + i);
      }
    }
    return names;
  }

  private static String describe(String chainName, List<X509Certificate> all, int index) {
    String role = index == 0 ? "leaf" : index == all.size() - 1 ? "root" : "intermediate";
    return String.format(
        Locale.ROOT,
        "%s certificate %d of %d (%s) %s",
        chainName,
        index + 1,
        all.size(),
        role,
        Certificates.name(all.get(index)));
  }
}
