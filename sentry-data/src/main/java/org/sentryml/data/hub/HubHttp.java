package org.sentryml.data.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

/**
 * HTTP plumbing for the Hub: follows redirects itself so that the access token goes only to the
 * Hub's own origin (scheme, host and port of the base URL) and never to a CDN or any other host a
 * redirect points to, and maps error statuses to exit codes.
 *
 * <p>Exit codes: 401/403 are {@link UsageException} (the user must supply a valid token); 404 is
 * {@link MalformedInputException} (the dataset, revision or file named does not exist); anything
 * else, and network failures, are {@link IoFailureException}.
 */
final class HubHttp implements AutoCloseable {
  private static final int MAX_REDIRECTS = 10;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HEADERS_TIMEOUT = Duration.ofMinutes(2);
  private static final String USER_AGENT = "sentry/0.1 (java)";

  private final HttpClient client;
  private final URI base;
  private final HubToken token;

  /** The final response, and the headers of the first one (the Hub's, before any redirect). */
  record Exchange(HttpResponse<InputStream> response, HttpHeaders hubHeaders) {}

  HubHttp(URI base, HubToken token) {
    this.base = base;
    this.token = token;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  /**
   * Sends a request and follows redirects; the caller owns (and must close) the final body.
   * Statuses other than redirects are returned as they are.
   */
  Exchange send(String method, URI uri, Map<String, String> headers, String what) {
    HttpHeaders hubHeaders = null;
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current)
              .method(method, HttpRequest.BodyPublishers.noBody())
              .timeout(HEADERS_TIMEOUT)
              .header("User-Agent", USER_AGENT);
      headers.forEach(request::header);
      if (token != null && sameOrigin(current, base)) {
        request.header("Authorization", "Bearer " + token.value());
      }
      HttpResponse<InputStream> response = sendOnce(request.build(), what);
      if (hubHeaders == null) {
        hubHeaders = response.headers();
      }
      if (!REDIRECTS.contains(response.statusCode())) {
        return new Exchange(response, hubHeaders);
      }
      closeQuietly(response.body());
      String location =
          response
              .headers()
              .firstValue("Location")
              .orElseThrow(
                  () ->
                      new IoFailureException(
                          "redirect without a Location header while fetching " + what));
      current = current.resolve(location);
    }
    throw new IoFailureException(
        "more than " + MAX_REDIRECTS + " redirects while fetching " + what);
  }

  /** GETs a JSON document; any status but 200 becomes a {@link SentryException}. */
  Exchange getOk(URI uri, String what) {
    Exchange exchange = send("GET", uri, Map.of("Accept", "application/json"), what);
    int status = exchange.response().statusCode();
    if (status != 200) {
      closeQuietly(exchange.response().body());
      throw statusError(status, what);
    }
    return exchange;
  }

  /** Hub API answers (listings, revisions) are JSON of a few MiB at most; more is not the Hub. */
  static final int MAX_API_BODY_BYTES = 64 << 20;

  static String readBody(Exchange exchange, String what) {
    try (InputStream body = exchange.response().body()) {
      byte[] bytes = body.readNBytes(MAX_API_BODY_BYTES + 1);
      if (bytes.length > MAX_API_BODY_BYTES) {
        throw new MalformedInputException(
            "the answer for "
                + what
                + " is larger than "
                + MAX_API_BODY_BYTES
                + " bytes; a Hub API answer is never that large");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IoFailureException(
          "reading the answer for " + what + " failed: " + e.getMessage(), e);
    }
  }

  /** The error for a non-success status, with an exit code per the class comment. */
  SentryException statusError(int status, String what) {
    if (status == 401 || status == 403) {
      String hint =
          token == null
              ? "an access token is needed (set HF_TOKEN or write it to a file hf_access_token);"
                  + " the Hub also answers 401 for datasets that do not exist"
              : "the access token given was refused (invalid, or without access to it)";
      return new UsageException(
          String.format(Locale.ROOT, "the hub refused %s (HTTP %d): %s", what, status, hint));
    }
    if (status == 404) {
      return new MalformedInputException(
          String.format(Locale.ROOT, "%s not found (HTTP 404)", what));
    }
    return new IoFailureException(
        String.format(Locale.ROOT, "the hub answered HTTP %d for %s", status, what));
  }

  private HttpResponse<InputStream> sendOnce(HttpRequest request, String what) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IoFailureException(
          "cannot reach " + request.uri().getHost() + " for " + what + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IoFailureException("interrupted while fetching " + what, e);
    }
  }

  /** Same scheme, host and port; a redirect anywhere else must not receive the token. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // The body is being discarded; a failure to close it changes nothing for the caller.
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
