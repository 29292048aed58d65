package org.sentryml.clisupport;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sentryml.core.signing.CertificateSigner;
import org.sentryml.core.signing.PemFiles;
import org.sentryml.core.signing.PrivateKeySigner;
import org.sentryml.core.signing.SigstoreSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The METHOD subcommands of {@code sentry sign}. */
public final class SignMethods {
  private SignMethods() {}

  @Command(
      name = "private-key",
      mixinStandardHelpOptions = true,
      description = "Sign with an ECDSA private key (P-256, P-384, P-521).")
  public static final class PrivateKeyMethod implements Callable<Integer> {
    @ParentCommand SigningHost sign;
    @Mixin PrivateKeyOptions key;

    @Override
    public Integer call() {
      return sign.sign(new PrivateKeySigner(key.load()), "private key " + key.privateKey);
    }
  }

  @Command(
      name = "pki",
      mixinStandardHelpOptions = true,
      description = "Sign with a certificate's private key; the chain goes into the bundle.")
  public static final class PkiMethod implements Callable<Integer> {
    @ParentCommand SigningHost sign;
    @Mixin PrivateKeyOptions key;

    @Option(
        names = {"--signing_cert", "--signing-cert"},
        required = true,
        paramLabel = "PEM",
        description = "The signing (leaf) certificate.")
    Path signingCert;

    @Option(
        names = {"--cert_chain", "--cert-chain"},
        arity = "1..*",
        paramLabel = "PEM",
        description = "Intermediate certificates, leaf side first.")
    List<Path> certChain = new ArrayList<>();

    @Override
    public Integer call() {
      List<X509Certificate> chain =
          new ArrayList<>(PemFiles.readCertificates(signingCert).subList(0, 1));
      certChain.forEach(file -> chain.addAll(PemFiles.readCertificates(file)));
      return sign.sign(
          new CertificateSigner(key.load(), chain),
          "certificate " + chain.get(0).getSubjectX500Principal().getName());
    }
  }

  @Command(
      name = "sigstore",
      mixinStandardHelpOptions = true,
      description =
          "Keyless signing on the public-good Sigstore (OIDC, Fulcio, Rekor); needs the network.")
  public static final class SigstoreMethod implements Callable<Integer> {
    @ParentCommand SigningHost sign;

    @Option(
        names = {"--identity_token", "--identity-token"},
        paramLabel = "TOKEN",
        description = "OIDC identity token (else the ambient provider, e.g. GitHub Actions).")
    String identityToken;

    @Override
    public Integer call() {
      return sign.sign(new SigstoreSigner(identityToken), "Sigstore keyless");
    }
  }
}
