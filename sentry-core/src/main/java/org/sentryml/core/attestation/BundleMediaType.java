package org.sentryml.core.attestation;

import java.util.List;

/** The Sigstore bundle media types this package reads, and the one it writes. */
public final class BundleMediaType {
  /**
   * Bundle v0.3 in the form current signers (and OMS) write; the only one {@link BundleWriter}
   * emits.
   */
  public static final String V0_3 = "application/vnd.dev.sigstore.bundle.v0.3+json";

  /** Every media type {@link BundleReader} accepts: v0.1, v0.2 and both spellings of v0.3. */
  public static final List<String> READABLE =
      List.of(
          "application/vnd.dev.sigstore.bundle+json;version=0.1",
          "application/vnd.dev.sigstore.bundle+json;version=0.2",
          "application/vnd.dev.sigstore.bundle+json;version=0.3",
          V0_3);

  private BundleMediaType() {}
}
