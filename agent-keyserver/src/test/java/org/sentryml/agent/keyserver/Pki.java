package org.sentryml.agent.keyserver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.sentryml.testkit.PemText;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestPki;

/**
 * The certificates of a key server test: a client CA with clients, a server CA with a loopback
 * server certificate, and a foreign CA whose clients the server must not know.
 */
public final class Pki {
  /** A certificate's PEM files. */
  public record Identity(Path certificate, Path key) {}

  // Pinned far around any test run, so that only the certificates meant to be expired are.
  static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
  static final Instant TO = Instant.parse("2099-01-01T00:00:00Z");

  final Path dir;
  final TestPki.Issued clientCa = TestPki.root("Sentry Client CA", FROM, TO);
  final TestPki.Issued serverCa = TestPki.root("Sentry Server CA", FROM, TO);
  final Path clientCaFile;

  /** The CA of the server's certificate, for clients' {@code --tls-ca}. */
  public final Path serverCaFile;

  final Identity server;

  Pki(Path dir) {
    this.dir = dir;
    this.clientCaFile = write("client-ca.pem", PemText.of(clientCa.certificate()));
    this.serverCaFile = write("server-ca.pem", PemText.of(serverCa.certificate()));
    this.server =
        identity(
            "server", TestPki.server("sentry-keyserver", serverCa, FROM, TO, List.of("127.0.0.1")));
  }

  /** A client certificate {@code CN=name} from the client CA, valid now. */
  public Identity client(String name) {
    return client(name, clientCa, FROM, TO);
  }

  Identity client(String name, TestPki.Issued ca, Instant from, Instant to) {
    return identity(
        name,
        TestPki.leaf(name, ca, from, to, KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth));
  }

  private Identity identity(String name, TestPki.Issued issued) {
    return new Identity(
        write(name + ".pem", PemText.of(issued.certificate())),
        write(name + "-key.pem", PemText.of(issued.keys().getPrivate())));
  }

  private Path write(String name, String text) {
    return TestFiles.write(dir.resolve(name), text.getBytes(StandardCharsets.US_ASCII));
  }
}
