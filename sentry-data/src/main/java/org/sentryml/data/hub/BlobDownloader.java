package org.sentryml.data.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.json.Unsigned64;

/**
 * Downloads one file into its cache blob: into {@code blobs/{etag}.incomplete} first, resuming an
 * earlier partial download with a Range request, then checked for size and digest and only then
 * renamed to {@code blobs/{etag}}.
 *
 * <p>Failures: a body that ends early is {@link IoFailureException} and keeps the partial file for
 * the next run; a size or digest mismatch (or an ETag that contradicts the listing) is {@link
 * VerificationFailedException} and deletes the partial file, so nothing that looks complete is left
 * behind.
 */
final class BlobDownloader {
  private static final int BUFFER = 1 << 16;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern HEX_ETAG = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  private final HubHttp http;
  private final HubCache cache;

  BlobDownloader(HubHttp http, HubCache cache) {
    this.http = http;
    this.cache = cache;
  }

  /**
   * Makes sure the file's blob is in the cache. A blob already there is hashed again and kept
   * without contacting the server when it still matches the listing; one that does not (a flipped
   * bit on disk, a replaced file) is deleted and downloaded again.
   */
  void fetch(String repoId, URI url, HubFile file, DownloadProgress progress) {
    Path blob = cache.blob(repoId, file.etag());
    Path partial = cache.incompleteBlob(repoId, file.etag());
    try {
      if (Files.isRegularFile(blob)) {
        if (ContentCheck.mismatch(blob, file) == null) {
          progress.update(file.path(), file.size(), file.size());
          return;
        }
        Files.delete(blob);
      }
      Files.createDirectories(blob.getParent());
      long offset = Files.isRegularFile(partial) ? Files.size(partial) : 0;
      if (offset >= file.size()) {
        // Complete but never verified, or longer than it can be: start over rather than guess.
        Files.deleteIfExists(partial);
        offset = 0;
      }
      ContentCheck check = new ContentCheck(file);
      if (offset > 0) {
        check.updateFrom(partial);
      }
      download(url, file, partial, offset, check, progress);
      verify(file, partial, check);
      HubCache.moveReplacing(partial, blob);
    } catch (IOException e) {
      throw HubCache.writeFailed(partial, e);
    }
  }

  private void download(
      URI url,
      HubFile file,
      Path partial,
      long offset,
      ContentCheck check,
      DownloadProgress progress)
      throws IOException {
    String what = "file " + file.path();
    Map<String, String> headers =
        offset > 0
            ? Map.of("Range", "bytes=" + offset + "-", "Accept-Encoding", "identity")
            : Map.of("Accept-Encoding", "identity");
    HubHttp.Exchange exchange = http.send("GET", url, headers, what);
    try (InputStream body = exchange.response().body()) {
      checkAdvertised(file, exchange);
      int status = exchange.response().statusCode();
      long start;
      if (status == 206 && offset > 0) {
        start = rangeStart(exchange, what);
        if (start != offset) {
          throw new IoFailureException(
              String.format(
                  Locale.ROOT,
                  "asked for %s from byte %d, the server sent from %d",
                  what,
                  offset,
                  start));
        }
      } else if (status == 200) {
        // The server ignored the Range request (or there was none): the body is the whole file.
        start = 0;
        if (offset > 0) {
          check.reset();
        }
      } else {
        throw http.statusError(status, what + " of the dataset");
      }
      OpenOptionsSet options = start == 0 ? OpenOptionsSet.TRUNCATE : OpenOptionsSet.APPEND;
      copy(body, file, partial, start, options, check, progress);
    }
  }

  @SuppressWarnings("ImmutableEnumChecker") // List.of is unmodifiable
  private enum OpenOptionsSet {
    TRUNCATE(
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
    APPEND(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);

    private final List<StandardOpenOption> options;

    OpenOptionsSet(StandardOpenOption... options) {
      this.options = List.of(options);
    }
  }

  private static void copy(
      InputStream body,
      HubFile file,
      Path partial,
      long start,
      OpenOptionsSet mode,
      ContentCheck check,
      DownloadProgress progress)
      throws IOException {
    long have = start;
    progress.update(file.path(), have, file.size());
    byte[] buffer = new byte[BUFFER];
    boolean overflow = false;
    try (OutputStream out =
        Files.newOutputStream(partial, mode.options.toArray(new StandardOpenOption[0]))) {
      while (true) {
        int n;
        try {
          n = body.read(buffer);
        } catch (IOException e) {
          out.flush();
          throw truncated(file, partial, have, HubHttp.describe(e), e);
        }
        if (n < 0) {
          break;
        }
        if (have + n > file.size()) {
          overflow = true;
          break;
        }
        out.write(buffer, 0, n);
        check.update(buffer, 0, n);
        have += n;
        progress.update(file.path(), have, file.size());
      }
    }
    if (overflow) {
      Files.deleteIfExists(partial);
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "the server sent more than the %d bytes listed for %s; the download was deleted",
              file.size(),
              file.path()));
    }
    if (have < file.size()) {
      throw truncated(file, partial, have, "the connection closed early", null);
    }
  }

  private static SentryException truncated(
      HubFile file, Path partial, long have, String reason, Throwable cause) {
    return new IoFailureException(
        String.format(
            Locale.ROOT,
            "download of %s stopped after %d of %d bytes (%s); %s is kept and the next run resumes"
                + " it",
            file.path(),
            have,
            file.size(),
            reason,
            partial),
        cause);
  }

  private static void verify(HubFile file, Path partial, ContentCheck check) throws IOException {
    long size = Files.size(partial);
    String actual = check.actual();
    if (size != file.size() || !actual.equals(check.expected())) {
      Files.deleteIfExists(partial);
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "%s failed verification: %s %s and %d bytes expected, got %s and %d bytes;"
                  + " the download was deleted",
              file.path(),
              check.algorithm(),
              check.expected(),
              file.size(),
              actual,
              size));
    }
  }

  /**
   * The Hub names a file's content in {@code X-Linked-Etag} (LFS, before the CDN redirect) or
   * {@code ETag}; when that is a digest it must agree with the tree listing, as must {@code
   * X-Linked-Size}. A disagreement means the listing and the file come from different states.
   */
  private static void checkAdvertised(HubFile file, HubHttp.Exchange exchange) {
    Optional<String> advertised =
        exchange
            .hubHeaders()
            .firstValue("X-Linked-Etag")
            .or(() -> exchange.hubHeaders().firstValue("ETag"))
            .map(BlobDownloader::normalizeEtag);
    if (advertised.isPresent()
        && HEX_ETAG.matcher(advertised.get()).matches()
        && !advertised.get().equals(file.etag())) {
      HubHttp.closeQuietly(exchange.response().body());
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "the hub's ETag for %s is %s but its file listing says %s",
              file.path(),
              advertised.get(),
              file.etag()));
    }
    Optional<String> linkedSize = exchange.hubHeaders().firstValue("X-Linked-Size");
    if (linkedSize.isPresent() && !linkedSize.get().strip().equals(Long.toString(file.size()))) {
      HubHttp.closeQuietly(exchange.response().body());
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "the hub's X-Linked-Size for %s is %s but its file listing says %d",
              file.path(),
              linkedSize.get().strip(),
              file.size()));
    }
  }

  static String normalizeEtag(String etag) {
    String value = etag.strip();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static long rangeStart(HubHttp.Exchange exchange, String what) {
    String header = exchange.response().headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(header.strip());
    try {
      if (m.matches()) {
        return Unsigned64.parse(m.group(1));
      }
    } catch (NumberFormatException e) {
      // reported below: a start beyond 2^63 - 1 is no position in any file
    }
    throw new IoFailureException(
        "partial answer for " + what + " without a usable Content-Range: '" + header + "'");
  }
}
