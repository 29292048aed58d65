package org.sentryml.core.signing;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertPathValidatorException.Reason;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * Checks that a signing certificate chains to one of a fixed set of trusted root certificates and
 * may sign code, at a given time (the signing time, not the time of verification).
 *
 * <p>The path from the signing certificate through the supplied intermediates (in any order) to a
 * root is assembled by issuer name and signature, then validated with the JDK's PKIX {@link
 * CertPathValidator}, revocation checking off. The signing certificate must allow digital
 * signatures in its key usage or code signing ({@code 1.3.6.1.5.5.7.3.3}) in its extended key
 * usage, as {@code model_signing} requires. Roots are trusted as given: their own validity period
 * is not checked (RFC 5280, section 6.1).
 *
 * <p>Immutable and thread-safe.
 */
public final class CertificateChainVerifier {
  /** The extended key usage for code signing. */
  public static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

  private static final int DIGITAL_SIGNATURE = 0;
  private static final String[] KEY_USAGE_NAMES = {
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly"
  };

  private final List<X509Certificate> roots;
  private final Set<TrustAnchor> anchors;

  /**
   * @param roots the trusted root certificates; at least one
   */
  public CertificateChainVerifier(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
    if (this.roots.isEmpty()) {
      throw new UsageException("no trusted root certificates given");
    }
    Set<TrustAnchor> trust = new HashSet<>();
    for (X509Certificate root : this.roots) {
      trust.add(new TrustAnchor(root, null));
    }
    this.anchors = Set.copyOf(trust);
  }

  /**
   * Verifies the chain of {@code leaf} at {@code time}.
   *
   * @param intermediates certificates that may link the leaf to a root, in any order; ones the path
   *     does not need are ignored
   * @return the validated path: the leaf first, then the intermediates used, then the root
   * @throws VerificationFailedException naming the certificate at fault and why: no path to a
   *     trusted root, outside its validity period at {@code time}, not a CA, a key usage that does
   *     not allow signing
   */
  public List<X509Certificate> verify(
      X509Certificate leaf, List<X509Certificate> intermediates, Instant time) {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(time, "time");
    List<X509Certificate> path = new ArrayList<>();
    path.add(leaf);
    X509Certificate root = assemble(path, List.copyOf(intermediates));
    validate(path, time);
    requireSigningUsage(leaf);
    List<X509Certificate> chain = new ArrayList<>(path);
    chain.add(root);
    return List.copyOf(chain);
  }

  /** Extends {@code path} towards a root through {@code intermediates}; returns the root. */
  private X509Certificate assemble(
      List<X509Certificate> path, List<X509Certificate> intermediates) {
    List<X509Certificate> unused = new ArrayList<>(intermediates);
    while (true) {
      X509Certificate last = path.get(path.size() - 1);
      X509Certificate root = issuerAmong(last, roots);
      if (root != null) {
        return root;
      }
      X509Certificate next = issuerAmong(last, unused);
      if (next == null) {
        throw untrusted(path, last);
      }
      unused.remove(next);
      path.add(next);
    }
  }

  private static X509Certificate issuerAmong(
      X509Certificate child, List<X509Certificate> candidates) {
    for (X509Certificate candidate : candidates) {
      if (candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal())
          && signedBy(child, candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean signedBy(X509Certificate child, X509Certificate issuer) {
    try {
      child.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private SentryException untrusted(List<X509Certificate> path, X509Certificate last) {
    X500Principal issuer = last.getIssuerX500Principal();
    boolean sameName =
        roots.stream().anyMatch(root -> root.getSubjectX500Principal().equals(issuer));
    String why =
        sameName
            ? "its signature does not verify with the key of the trusted root named " + name(issuer)
            : "its issuer " + name(issuer) + " is neither a trusted root nor a given intermediate";
    return failure(
        String.format(
            Locale.ROOT,
            "untrusted certificate chain: %s does not chain to "
                + "any of the %d trusted root(s): %s",
            describe(path, path.size() - 1),
            roots.size(),
            why));
  }

  private void validate(List<X509Certificate> path, Instant time) {
    CertPath certPath;
    PKIXParameters parameters;
    try {
      certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      parameters = new PKIXParameters(anchors);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PKIX support", e);
    }
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(time));
    try {
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      throw failure(explain(path, e, time));
    } catch (InvalidAlgorithmParameterException e) {
      throw failure("cannot validate the certificate chain: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PKIX support", e);
    }
  }

  private static String explain(
      List<X509Certificate> path, CertPathValidatorException e, Instant time) {
    int index = e.getIndex();
    if (index < 0 || index >= path.size()) {
      return "certificate chain does not validate: " + e.getMessage();
    }
    X509Certificate certificate = path.get(index);
    String who = describe(path, index);
    Reason reason = e.getReason();
    String validity =
        String.format(
            Locale.ROOT,
            "valid from %s to %s",
            certificate.getNotBefore().toInstant(),
            certificate.getNotAfter().toInstant());
    if (reason == BasicReason.EXPIRED) {
      return String.format(Locale.ROOT, "%s had expired at %s (%s)", who, time, validity);
    }
    if (reason == BasicReason.NOT_YET_VALID) {
      return String.format(Locale.ROOT, "%s was not yet valid at %s (%s)", who, time, validity);
    }
    if (reason == PKIXReason.NOT_CA_CERT) {
      return who + " is not a CA certificate but issued the certificate below it";
    }
    if (reason == PKIXReason.INVALID_KEY_USAGE) {
      return who + " has a key usage that does not allow issuing certificates";
    }
    if (reason == PKIXReason.PATH_TOO_LONG) {
      return who + " exceeds the path length its issuer allows";
    }
    if (reason == PKIXReason.NO_TRUST_ANCHOR) {
      return who + " does not chain to a trusted root";
    }
    return who + " does not validate: " + e.getMessage();
  }

  private static void requireSigningUsage(X509Certificate leaf) {
    String problem = signingUsageProblem(leaf);
    if (problem != null) {
      throw failure(problem);
    }
  }

  /**
   * Why {@code leaf} may not sign statements, or null when it may: its key usage must include
   * digitalSignature or its extended key usage codeSigning. The signer checks the same rule, so a
   * certificate that verification would refuse is refused when signing.
   */
  static @Nullable String signingUsageProblem(X509Certificate leaf) {
    boolean[] keyUsage = leaf.getKeyUsage();
    List<String> extended;
    try {
      extended = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return "signing certificate "
          + name(leaf.getSubjectX500Principal())
          + " has a malformed extended key usage: "
          + e.getMessage();
    }
    boolean digitalSignature =
        keyUsage != null && keyUsage.length > DIGITAL_SIGNATURE && keyUsage[DIGITAL_SIGNATURE];
    boolean codeSigning = extended != null && extended.contains(CODE_SIGNING);
    if (!digitalSignature && !codeSigning) {
      return String.format(
          Locale.ROOT,
          "signing certificate %s may not sign: key usage %s "
              + "lacks digitalSignature and extended key usage %s lacks codeSigning (%s)",
          name(leaf.getSubjectX500Principal()),
          keyUsageNames(keyUsage),
          extended == null ? "(absent)" : extended,
          CODE_SIGNING);
    }
    return null;
  }

  private static String keyUsageNames(boolean[] keyUsage) {
    if (keyUsage == null) {
      return "(absent)";
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < keyUsage.length; i++) {
      if (keyUsage[i]) {
        names.add(i < KEY_USAGE_NAMES.length ? KEY_USAGE_NAMES[i] : "bit" + i);
      }
    }
    return names.toString();
  }

  private static String describe(List<X509Certificate> path, int index) {
    String role = index == 0 ? "signing certificate" : "intermediate certificate " + index;
    X509Certificate certificate = path.get(index);
    return String.format(
        Locale.ROOT,
        "%s %s (serial %s)",
        role,
        name(certificate.getSubjectX500Principal()),
        certificate.getSerialNumber().toString(16));
  }

  private static String name(X500Principal principal) {
    return "'" + principal.getName(X500Principal.RFC2253) + "'";
  }

  private static SentryException failure(String message) {
    return new VerificationFailedException(message);
  }
}
