// The client half of `bin/sentry-demo --serve`, run as a single source file (java ServeDemoClient.java):
// posts each PNG to a loopback `sentry-inferencer serve` over mutual TLS with the JDK's HttpClient
// and prints the answers. Only JDK APIs, so it needs nothing built.
//
//   java ServeDemoClient.java URL CA_PEM CLIENT_CERT_PEM CLIENT_KEY_PEM IMAGE.png...
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class ServeDemoClient {
  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: ServeDemoClient URL CA_PEM CLIENT_CERT_PEM CLIENT_KEY_PEM IMAGE...");
      System.exit(2);
    }
    URI base = URI.create(args[0]);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    X509Certificate ca =
        (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))));
    Certificate client =
        x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))));
    PrivateKey key =
        KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemBody(Path.of(args[3]))));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry("client", key, new char[0], new Certificate[] {client, ca});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(identity, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(tls).build();

    System.out.println("GET /v1/model -> " + get(http, base.resolve("/v1/model")));
    for (int i = 4; i < args.length; i++) {
      Path image = Path.of(args[i]);
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v1/predict"))
                  .header("Content-Type", "image/png")
                  .POST(HttpRequest.BodyPublishers.ofFile(image))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      System.out.println("POST /v1/predict " + image.getFileName() + " -> " + answer.statusCode() + " " + answer.body().strip());
    }
    String metrics = get(http, base.resolve("/metrics"));
    metrics.lines().filter(line -> line.startsWith("sentry_requests_total")).forEach(System.out::println);
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body().strip();
  }

  private static byte[] pemBody(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
