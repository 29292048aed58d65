// The client half of `bin/sentry-demo --serve`, run as a single source file on Sentry's class path
// (java -cp sentry-inferencer.jar ServeDemoClient.java): reads the first few test images of the
// dataset's first shard through the reader the inferencer uses (DatasetFiles: a clear shard as it is,
// an encrypted one decrypted in memory with keys from --key-store or --key-cache, so no image is
// written in clear), posts each to a loopback `sentry-inferencer serve` over mutual TLS with the
// JDK's HttpClient and prints the answers.
//
//   java -cp JAR ServeDemoClient.java URL CA_PEM CLIENT_CERT_PEM CLIENT_KEY_PEM DATASET_DIR COUNT
//        [--key-store DIR | --key-cache SOCKET]
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.sentryml.confidential.broker.KeyCacheClient;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.data.dataset.DatasetFiles;
import org.sentryml.data.dataset.DatasetIndex;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.ShardReader;

public class ServeDemoClient {
  public static void main(String[] args) throws Exception {
    if (args.length != 6 && args.length != 8) {
      System.err.println(
          "usage: ServeDemoClient URL CA_PEM CLIENT_CERT_PEM CLIENT_KEY_PEM DATASET_DIR COUNT [--key-store DIR | --key-cache SOCKET]");
      System.exit(2);
    }
    List<Sample> images = testImages(Path.of(args[4]), Integer.parseInt(args[5]), keys(args));
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
    for (Sample image : images) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v1/predict"))
                  .header("Content-Type", "image/png")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(image.data()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      System.out.println(
          "POST /v1/predict " + image.key() + " (label " + image.label() + ") -> " + answer.statusCode() + " " + answer.body().strip());
    }
    String metrics = get(http, base.resolve("/metrics"));
    metrics.lines().filter(line -> line.startsWith("sentry_requests_total")).forEach(System.out::println);
  }

  /** The key source the demo gave the server, for an encrypted dataset; null for none. */
  private static DataKeys keys(String[] args) {
    if (args.length == 6) {
      return null;
    }
    Path where = Path.of(args[7]);
    return switch (args[6]) {
      case "--key-store" ->
          org.sentryml.confidential.encryption.keys.KeyStore.open(
              where, MasterKeySource.resolve(null, System.getenv(), where));
      case "--key-cache" -> new KeyCacheClient(where);
      default -> throw new IllegalArgumentException("not a key source: " + args[6]);
    };
  }

  /** The first {@code count} test samples of the dataset's first shard (else any), in memory. */
  private static List<Sample> testImages(Path dataset, int count, DataKeys keys) {
    DatasetFiles files = DatasetFiles.open(dataset, keys);
    String shard =
        DatasetIndex.read(files).sources().stream()
            .map(DatasetIndex.IndexedSource::shard)
            .min(Comparator.naturalOrder())
            .orElseThrow();
    List<Sample> test = new ArrayList<>();
    List<Sample> any = new ArrayList<>();
    try (ShardReader reader = new ShardReader(files, shard)) {
      while (reader.hasNext() && test.size() < count) {
        Sample sample = reader.next();
        if (sample.split().equals("test")) {
          test.add(sample);
        } else if (any.size() < count) {
          any.add(sample);
        }
      }
    }
    return test.isEmpty() ? any : test;
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
