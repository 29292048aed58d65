package org.sentryml.core.signing;

import dev.sigstore.KeylessSigner;
import dev.sigstore.oidc.client.OidcClients;
import dev.sigstore.oidc.client.TokenStringOidcClient;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.IoFailureException;

/**
 * The {@code sigstore} method: keyless signing through sigstore-java on the public-good instance —
 * an OIDC identity token (given, or from the ambient environment such as GitHub Actions) buys a
 * short-lived Fulcio certificate, and the signature is logged in Rekor. Needs the network.
 */
public final class SigstoreSigner implements StatementSigner {
  private final String identityToken;

  /**
   * @param identityToken an OIDC token, or null to use the ambient credential providers
   */
  public SigstoreSigner(@Nullable String identityToken) {
    this.identityToken = identityToken;
  }

  @Override
  public byte[] sign(byte[] statement) {
    try {
      KeylessSigner.Builder builder = KeylessSigner.builder().sigstorePublicDefaults();
      if (identityToken != null) {
        builder.forceCredentialProviders(OidcClients.of(TokenStringOidcClient.from(identityToken)));
      }
      try (KeylessSigner signer = builder.build()) {
        return signer
            .attest(new String(statement, StandardCharsets.UTF_8))
            .toJson()
            .getBytes(StandardCharsets.UTF_8);
      }
    } catch (Exception e) {
      // sigstore-java reports network, OIDC and Fulcio/Rekor failures through many exception types.
      throw new IoFailureException("Sigstore keyless signing failed: " + e.getMessage(), e);
    }
  }
}
