package org.sentryml.core.signing;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Locale;
import java.util.Optional;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;

/**
 * The NIST prime curves Sentry signs with, each tied to the hash that {@code model_signing} uses
 * with it: P-256 with SHA-256, P-384 with SHA-384 and P-521 with SHA-512.
 *
 * <p>Immutable and thread-safe.
 */
// ECParameterSpec has no mutators: the curve parameters of a constant never change.
@SuppressWarnings("ImmutableEnumChecker")
public enum EcCurve {
  P256("P-256", "secp256r1", "1.2.840.10045.3.1.7", "SHA-256", "SHA256withECDSA"),
  P384("P-384", "secp384r1", "1.3.132.0.34", "SHA-384", "SHA384withECDSA"),
  P521("P-521", "secp521r1", "1.3.132.0.35", "SHA-512", "SHA512withECDSA");

  private final String displayName;
  private final String jcaName;
  private final String oid;
  private final String hashAlgorithm;
  private final String signatureAlgorithm;
  private final ECParameterSpec parameters;

  EcCurve(String displayName, String jcaName, String oid, String hash, String signature) {
    this.displayName = displayName;
    this.jcaName = jcaName;
    this.oid = oid;
    this.hashAlgorithm = hash;
    this.signatureAlgorithm = signature;
    this.parameters = namedParameters(jcaName);
  }

  /** The NIST name, such as {@code P-384}. */
  public String displayName() {
    return displayName;
  }

  /** The JCA standard name of the curve, such as {@code secp384r1}. */
  public String jcaName() {
    return jcaName;
  }

  /** The dotted object identifier of the named curve. */
  public String oid() {
    return oid;
  }

  /** The JCA name of the message digest signatures on this curve use, such as {@code SHA-384}. */
  public String hashAlgorithm() {
    return hashAlgorithm;
  }

  /** The JCA signature algorithm, such as {@code SHA384withECDSA} (DER-encoded signatures). */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** The domain parameters of the curve, as the JDK defines them. */
  ECParameterSpec parameters() {
    return parameters;
  }

  /**
   * The curve of an EC public key.
   *
   * @throws MalformedInputException for a non-EC key or another curve
   */
  public static EcCurve of(PublicKey key) {
    return find(key)
        .orElseThrow(
            () ->
                new MalformedInputException(
                    "unsupported public key: "
                        + describe(key)
                        + "; expected ECDSA P-256, P-384 or P-521"));
  }

  /** The curve of an EC key (public or private), or empty for any other key. */
  public static Optional<EcCurve> find(Key key) {
    if (!(key instanceof ECKey ecKey)) {
      return Optional.empty();
    }
    ECParameterSpec spec = ecKey.getParams();
    for (EcCurve curve : values()) {
      if (sameCurve(curve.parameters, spec)) {
        return Optional.of(curve);
      }
    }
    return Optional.empty();
  }

  /** The curve with the dotted object identifier {@code oid}, or empty for any other. */
  public static Optional<EcCurve> byOid(String oid) {
    for (EcCurve curve : values()) {
      if (curve.oid.equals(oid)) {
        return Optional.of(curve);
      }
    }
    return Optional.empty();
  }

  /**
   * The curve named {@code name}: {@code P-256}, {@code p256}, {@code secp256r1} and the like,
   * case-insensitively.
   *
   * @throws UsageException for any other name
   */
  public static EcCurve parse(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (EcCurve curve : values()) {
      String display = curve.displayName.toLowerCase(Locale.ROOT);
      if (wanted.equals(display)
          || wanted.equals(display.replace("-", ""))
          || wanted.equals(curve.jcaName)) {
        return curve;
      }
    }
    throw new UsageException(
        String.format(Locale.ROOT, "unknown curve '%s'; expected P-256, P-384 or P-521", name));
  }

  /** A short description of a key for messages: its algorithm and, for EC keys, the curve. */
  static String describe(Key key) {
    if (key == null) {
      return "no key";
    }
    Optional<EcCurve> curve = find(key);
    if (curve.isPresent()) {
      return "EC " + curve.get().displayName + " key";
    }
    if (key instanceof ECKey ecKey) {
      return "EC key on an unsupported "
          + ecKey.getParams().getCurve().getField().getFieldSize()
          + "-bit curve";
    }
    return key.getAlgorithm() + " key";
  }

  private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a.getCurve().equals(b.getCurve())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }

  private static ECParameterSpec namedParameters(String jcaName) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(jcaName));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime ships these three curves; their absence is a broken JDK.
      throw new IllegalStateException("the JDK lacks curve " + jcaName, e);
    }
  }
}
