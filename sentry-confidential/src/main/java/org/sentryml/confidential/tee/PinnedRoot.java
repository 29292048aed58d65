package org.sentryml.confidential.tee;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A vendor root certificate shipped in this jar under {@code org/sentryml/confidential/tee/roots/}
 * and pinned by its SHA-256 fingerprint in the code, so that a changed resource fails at once
 * instead of becoming trusted. Evidence never brings its own root: a chain that carries one must
 * carry exactly this certificate. Immutable and thread-safe.
 */
final class PinnedRoot {
  /** The root of the PCK chains in TDX and SGX quotes. */
  static final PinnedRoot INTEL_SGX_ROOT_CA =
      pin(
          resource("intel_sgx_root_ca.pem").getFirst(),
          "Intel SGX Root CA",
          "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");

  /** The root of NVIDIA's device identity chains (H100 and later). */
  static final PinnedRoot NVIDIA_DEVICE_IDENTITY_CA =
      pin(
          resource("nvidia_device_root.pem").getFirst(),
          "NVIDIA Device Identity CA",
          "102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48");

  private static final int MAX_RESOURCE_BYTES = 64 << 10;

  private final X509Certificate certificate;
  private final String description;
  private final Octets fingerprint;

  private PinnedRoot(X509Certificate certificate, String description, Octets fingerprint) {
    this.certificate = certificate;
    this.description = description;
    this.fingerprint = fingerprint;
  }

  /**
   * Pins {@code certificate}, which must have the SHA-256 fingerprint {@code sha256} and sign
   * itself.
   *
   * @throws IllegalStateException if it does not: the jar's resources are not what was built
   */
  static PinnedRoot pin(X509Certificate certificate, String description, String sha256) {
    Octets fingerprint = Certificates.fingerprint(certificate);
    if (!fingerprint.hex().equals(sha256)) {
      throw new IllegalStateException(
          "the shipped "
              + description
              + " has SHA-256 "
              + fingerprint
              + ", not the pinned "
              + sha256);
    }
    try {
      certificate.verify(certificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the shipped " + description + " does not sign itself", e);
    }
    return new PinnedRoot(certificate, description, fingerprint);
  }

  /** The certificates of the PEM resource {@code roots/<name>}. */
  static List<X509Certificate> resource(String name) {
    String path = "roots/" + name;
    try (InputStream in = PinnedRoot.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is missing from the jar");
      }
      return Certificates.fromPem(in.readNBytes(MAX_RESOURCE_BYTES), "resource " + path);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + path, e);
    }
  }

  X509Certificate certificate() {
    return certificate;
  }

  String description() {
    return description;
  }

  Octets fingerprint() {
    return fingerprint;
  }

  /** Whether {@code candidate} is this root, byte for byte. */
  boolean is(X509Certificate candidate) {
    return Certificates.fingerprint(candidate).matches(fingerprint);
  }
}
