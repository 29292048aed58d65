package org.sentryml.clisupport;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sentryml.core.attestation.KeylessVerification;
import org.sentryml.core.signing.CertificateVerifier;
import org.sentryml.core.signing.PemFiles;
import org.sentryml.core.signing.PublicKeyPem;
import org.sentryml.core.signing.PublicKeyVerifier;
import org.sentryml.core.signing.SigstoreVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The METHOD subcommands of {@code sentry verify}. */
public final class VerifyMethods {
  private VerifyMethods() {}

  @Command(
      name = "private-key",
      mixinStandardHelpOptions = true,
      description = "Verify with the signer's ECDSA public key.")
  public static final class PublicKeyMethod implements Callable<Integer> {
    @ParentCommand VerifyingHost verify;

    @Option(
        names = {"--public_key", "--public-key"},
        required = true,
        paramLabel = "PEM",
        description = "The signer's public key.")
    Path publicKey;

    @Override
    public Integer call() {
      return verify.verify(new PublicKeyVerifier(PublicKeyPem.read(publicKey)));
    }
  }

  @Command(
      name = "pki",
      mixinStandardHelpOptions = true,
      description = "Verify a certificate-chain bundle against trusted root certificates.")
  public static final class PkiMethod implements Callable<Integer> {
    @ParentCommand VerifyingHost verify;

    @Option(
        names = {"--root_certs", "--root-certs"},
        required = true,
        arity = "1..*",
        paramLabel = "PEM",
        description = "Trusted root certificates.")
    List<Path> rootCerts;

    @Override
    public Integer call() {
      List<X509Certificate> roots = new ArrayList<>();
      rootCerts.forEach(file -> roots.addAll(PemFiles.readCertificates(file)));
      return verify.verify(new CertificateVerifier(roots));
    }
  }

  @Command(
      name = "sigstore",
      mixinStandardHelpOptions = true,
      description = "Verify a keyless Sigstore bundle: identity and OIDC issuer.")
  public static final class SigstoreMethod implements Callable<Integer> {
    @ParentCommand VerifyingHost verify;

    @Option(
        names = "--identity",
        required = true,
        paramLabel = "ID",
        description = "Expected signer identity (e-mail or URI).")
    String identity;

    @Option(
        names = {"--identity_provider", "--identity-provider"},
        required = true,
        paramLabel = "URL",
        description = "Expected OIDC issuer.")
    String identityProvider;

    @Option(
        names = {"--trust_root", "--trust-root"},
        paramLabel = "JSON",
        description =
            "trusted_root.json for offline verification (else the public-good root via TUF).")
    Path trustRoot;

    @Override
    public Integer call() {
      KeylessVerification verification =
          trustRoot == null
              ? KeylessVerification.publicGood()
              : KeylessVerification.fromTrustedRoot(trustRoot);
      return verify.verify(new SigstoreVerifier(verification, identity, identityProvider));
    }
  }
}
