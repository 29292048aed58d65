package org.sentryml.confidential.broker;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.confidential.tee.Attester;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * A KBS protocol client over mutual TLS: {@code auth} → {@code attest} (evidence from an {@link
 * Attester}, bound to the challenge's nonce and a fresh ephemeral key) → one {@code resource}
 * request per key, each keyset decrypted from its JWE in memory. As {@link DataKeys} it keeps one
 * attested session and attests again when the server no longer accepts it; as {@link
 * CheckpointRecorder} it uses the same session for the server's checkpoint records. Refusals come
 * back as {@link VerificationFailedException} (401, 403, 409), {@link PathException} (404) or
 * {@link MalformedInputException} (400) with the server's problem detail; a server that cannot be
 * reached is an {@link IoFailureException}. Thread-safe.
 */
public final class KbsClient implements BrokerClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final SSLContext tls;
  private final Attester attester;
  private final EvidenceType tee;
  private final boolean connectionPerRequest;
  private final @Nullable HttpClient shared;
  private @Nullable KbsSession current;

  /**
   * @param base the key server, e.g. {@code https://127.0.0.1:8443}
   * @param tls this client's certificate and the CA of the server's ({@link TlsFiles#context})
   * @param connectionPerRequest whether every request opens a fresh TLS connection (a load test's
   *     worst case) instead of reusing one
   */
  public KbsClient(
      URI base, SSLContext tls, Attester attester, EvidenceType tee, boolean connectionPerRequest) {
    this.base = Objects.requireNonNull(base, "base");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.attester = Objects.requireNonNull(attester, "attester");
    this.tee = Objects.requireNonNull(tee, "tee");
    this.connectionPerRequest = connectionPerRequest;
    this.shared = connectionPerRequest ? null : newHttpClient();
  }

  /** One attested session: its cookie, token and ephemeral key. */
  public static final class KbsSession {
    private final String cookie;
    private final String token;
    private final EphemeralKey key;

    KbsSession(String cookie, String token, EphemeralKey key) {
      this.cookie = cookie;
      this.token = token;
      this.key = key;
    }

    /** The attestation token the server issued. */
    public String token() {
      return token;
    }
  }

  /** Runs {@code auth} and {@code attest}. */
  public KbsSession attest() {
    HttpResponse<byte[]> challenge =
        send(post(KbsProtocol.AUTH, KbsRequest.of(tee).toJson(), null), "auth");
    requireOk(challenge, "auth");
    String cookie = sessionCookie(challenge);
    KbsChallenge parsed = KbsChallenge.parse(challenge.body());
    EphemeralKey key = EphemeralKey.generate();
    String jwk = key.publicJwk();
    KbsAttestation attestation =
        KbsAttestation.of(parsed.nonce(), jwk, attester.evidence(parsed.nonce(), jwk));
    HttpResponse<byte[]> attested =
        send(post(KbsProtocol.ATTEST, attestation.toJson(), cookie), "attest");
    requireOk(attested, "attest");
    JsonObject token = StrictJson.parseObject(attested.body(), "KBS attestation token");
    return new KbsSession(
        cookie, new JsonFields(token, "", "KBS attestation token").string("token"), key);
  }

  /** The keyset of {@code id}, released to {@code session}. */
  public KeysetHandle keyset(KbsSession session, KeyId id) {
    HttpResponse<byte[]> response = send(resourceRequest(session, id), "resource " + id);
    requireOk(response, "key " + id);
    return KeysetJwe.decrypt(response.body(), session.key);
  }

  private HttpRequest resourceRequest(KbsSession session, KeyId id) {
    return HttpRequest.newBuilder(base.resolve(KbsProtocol.resourcePath(id)))
        .timeout(TIMEOUT)
        .header("Cookie", session.cookie)
        .GET()
        .build();
  }

  @Override
  public StreamingAead streamingAead(KeyId id) {
    return StreamingScheme.primitive(keyset(id), Path.of(KbsProtocol.resourcePath(id)));
  }

  /**
   * The keyset of {@code id}, attesting first when no session is live and once more when the server
   * answers 401 (the session expired). A refusal of the key itself (403) is final: attesting again
   * cannot change a policy's answer.
   */
  public synchronized KeysetHandle keyset(KeyId id) {
    String what = "resource " + id;
    HttpResponse<byte[]> response = withSession(session -> resourceRequest(session, id), what);
    requireOk(response, "key " + id);
    // withSession leaves the session it answered with as the current one (under this lock).
    return KeysetJwe.decrypt(response.body(), Objects.requireNonNull(current).key);
  }

  @Override
  public void recordCheckpoint(String runId, CheckpointRecord record) {
    String what = "checkpoint step " + record.step() + " of run " + runId;
    HttpResponse<byte[]> response =
        withSession(
            session ->
                checkpointRequest(runId, session)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(record.toBytes()))
                    .build(),
            what);
    requireOk(response, what);
  }

  @Override
  public Optional<CheckpointRecord> latestCheckpoint(String runId) {
    String what = "the checkpoint record of run " + runId;
    HttpResponse<byte[]> response =
        withSession(session -> checkpointRequest(runId, session).GET().build(), what);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    requireOk(response, what);
    try {
      return Optional.of(CheckpointRecord.parse(response.body()));
    } catch (MalformedInputException e) {
      throw new MalformedInputException(
          "key server " + base + " answered " + what + " with " + e.getMessage(), e);
    }
  }

  @Override
  public void finishCheckpoints(String runId) {
    String what = "finishing the checkpoint record of run " + runId;
    HttpResponse<byte[]> response =
        withSession(session -> checkpointRequest(runId, session).DELETE().build(), what);
    if (response.statusCode() != 404) {
      requireOk(response, what);
    }
  }

  @Override
  public String describe() {
    return "key server " + base;
  }

  private HttpRequest.Builder checkpointRequest(String runId, KbsSession session) {
    return HttpRequest.newBuilder(base.resolve(KbsProtocol.checkpointPath(runId)))
        .timeout(TIMEOUT)
        .header("Cookie", session.cookie);
  }

  /**
   * Sends the request {@code build} makes for the live session, attesting first when there is none,
   * and once more when the server answers 401 (the session expired).
   */
  private synchronized HttpResponse<byte[]> withSession(
      Function<KbsSession, HttpRequest> build, String step) {
    if (current != null) {
      HttpResponse<byte[]> response = send(build.apply(current), step);
      if (response.statusCode() != 401) {
        return response;
      }
      current = null;
    }
    current = attest();
    return send(build.apply(current), step);
  }

  private HttpRequest post(String path, byte[] body, @Nullable String cookie) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return request.build();
  }

  private HttpResponse<byte[]> send(HttpRequest request, String step) {
    try {
      if (connectionPerRequest) {
        try (HttpClient client = newHttpClient()) {
          return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
      }
      return Objects.requireNonNull(shared, "shared")
          .send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IoFailureException(
          "key server "
              + base
              + " ("
              + step
              + "): "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IoFailureException("interrupted while talking to key server " + base, e);
    }
  }

  private HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls)
        .sslParameters(TlsFiles.clientParameters(tls))
        .connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private String sessionCookie(HttpResponse<byte[]> response) {
    List<String> cookies = response.headers().allValues("Set-Cookie");
    for (String header : cookies) {
      String first = header.split(";", -1)[0].trim();
      if (first.startsWith(KbsProtocol.COOKIE + "=")) {
        return first;
      }
    }
    throw new MalformedInputException(
        "key server " + base + " answered auth without a " + KbsProtocol.COOKIE + " cookie");
  }

  private void requireOk(HttpResponse<byte[]> response, String what) {
    int status = response.statusCode();
    if (status == 200) {
      return;
    }
    String detail = problemDetail(response.body()).orElse("HTTP " + status);
    String message = "key server " + base + " refused " + what + " (" + status + "): " + detail;
    throw switch (status) {
      case 400 -> new MalformedInputException(message);
      case 401, 403, 409 -> new VerificationFailedException(message);
      case 404 -> new PathException(PathException.Kind.NOT_FOUND, message);
      default -> new IoFailureException(message);
    };
  }

  private static Optional<String> problemDetail(byte[] body) {
    try {
      JsonObject problem = StrictJson.parseObject(body, "problem");
      return Optional.of(new JsonFields(problem, "", "problem").string("detail"));
    } catch (SentryException e) {
      return Optional.empty();
    }
  }
}
