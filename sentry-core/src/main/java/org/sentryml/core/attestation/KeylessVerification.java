package org.sentryml.core.attestation;

import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.BoundedFiles;

/**
 * Verifies Sigstore keyless DSSE bundles offline with sigstore-java's {@link KeylessVerifier}
 * against a local trusted root (a {@code trusted_root.json}): the Fulcio certificate chains to a
 * trusted CA and carries a valid SCT, its SAN and OIDC issuer match a {@link KeylessIdentity}, the
 * DSSE signature verifies with the certificate's key, the statement's subject has the expected
 * SHA-256, the transparency-log entry (inclusion proof, checkpoint, signed entry timestamp)
 * verifies and matches the envelope, and any RFC 3161 timestamps verify. Nothing is fetched from
 * the network.
 *
 * <p>Caveat inherited from sigstore-java 2.0.0: it recomputes the DSSE PAE counting characters, not
 * bytes, so a bundle whose payload type or payload holds non-ASCII text is rejected even when its
 * signature is correct. Such a rejection is a false negative, never a false positive.
 *
 * <p>Instances hold no mutable state of their own, but sigstore-java does not document its verifier
 * as thread-safe: use one instance per thread.
 */
public final class KeylessVerification {
  private final KeylessVerifier verifier;

  private KeylessVerification(KeylessVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * A verifier trusting the Sigstore instance described by {@code trustedRoot}.
   *
   * @throws SentryException {@link MalformedInputException} if the file is missing or not a usable
   *     trusted root
   */
  public static KeylessVerification fromTrustedRoot(Path trustedRoot) {
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    BoundedFiles.checkRegularAndSize(
        trustedRoot, BoundedFiles.MAX_TRUSTED_ROOT_BYTES, "trusted root");
    try {
      return new KeylessVerification(
          KeylessVerifier.builder()
              .trustedRootProvider(TrustedRootProvider.from(trustedRoot))
              .build());
    } catch (SigstoreConfigurationException | GeneralSecurityException | RuntimeException e) {
      throw new MalformedInputException(
          "trusted root " + trustedRoot + ": not a usable Sigstore trusted root: " + e.getMessage(),
          e);
    }
  }

  /**
   * A verifier trusting the public-good Sigstore instance, whose trusted root sigstore-java fetches
   * through TUF (network needed).
   *
   * @throws SentryException {@link IoFailureException} when the TUF repository cannot be reached
   */
  public static KeylessVerification publicGood() {
    try {
      return new KeylessVerification(KeylessVerifier.builder().sigstorePublicDefaults().build());
    } catch (SigstoreConfigurationException | GeneralSecurityException | RuntimeException e) {
      throw new IoFailureException(
          "cannot load the public-good Sigstore trusted root ("
              + e.getMessage()
              + "); pass --trust_root trusted_root.json to verify offline",
          e);
    }
  }

  /**
   * Verifies {@code bundle}, a {@link MaterialKind#KEYLESS} bundle, for a statement whose subject
   * has SHA-256 {@code expectedSubjectSha256}, signed by {@code signer}.
   *
   * @throws SentryException {@link VerificationFailedException} with sigstore-java's reason if any
   *     check fails; {@link MalformedInputException} if the bundle is not keyless or sigstore-java
   *     cannot read it
   */
  public void verify(SigstoreBundle bundle, byte[] expectedSubjectSha256, KeylessIdentity signer) {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(signer, "signer");
    if (expectedSubjectSha256.length != 32) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "expected subject SHA-256: expected 32 bytes, got %d",
              expectedSubjectSha256.length));
    }
    if (bundle.kind() != MaterialKind.KEYLESS) {
      throw new MalformedInputException(
          "bundle verificationMaterial: expected a keyless bundle (Fulcio certificate and"
              + " tlogEntries), got "
              + bundle.kind());
    }
    Bundle parsed;
    try {
      parsed = Bundle.from(new StringReader(bundle.json()));
    } catch (BundleParseException e) {
      throw new MalformedInputException(
          "bundle: sigstore-java cannot read it: " + e.getMessage(), e);
    }
    KeylessIdentity actual = KeylessIdentity.of(bundle.leafCertificate());
    if (!actual.equals(signer)) {
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "keyless signer mismatch: expected %s from %s, got %s from %s",
              signer.identity(),
              signer.issuer(),
              actual.identity(),
              actual.issuer()));
    }
    try {
      SigstoreKeylessBridge.verify(verifier, expectedSubjectSha256.clone(), parsed);
    } catch (KeylessVerificationException e) {
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "keyless verification failed (expected signer %s from %s, subject sha256 %s): %s",
              signer.identity(),
              signer.issuer(),
              HexFormat.of().formatHex(expectedSubjectSha256),
              e.getMessage()),
          e);
    }
  }
}
