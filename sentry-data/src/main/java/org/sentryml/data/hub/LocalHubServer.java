package org.sentryml.data.hub;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentryml.core.json.Unsigned64;

/**
 * A loopback Hub that serves dataset repositories from a folder, {@code <root>/<org>/<name>/...}
 * holding each repository's files as a checkout would, through the routes {@link HubClient} uses:
 *
 * <ul>
 *   <li>{@code GET /api/datasets/{org}/{name}/revision/{rev}}: {@code {id, sha, siblings}};
 *   <li>{@code GET /api/datasets/{org}/{name}/tree/{rev}[/{folder}][?recursive=true]}: every file
 *       as an LFS file with its SHA-256, in pages linked by {@code Link: <...>; rel="next"}, as the
 *       Hub pages long listings;
 *   <li>{@code GET|HEAD /datasets/{org}/{name}/resolve/{rev}/{path}}: the bytes, with {@code ETag}
 *       and {@code X-Linked-Etag} = SHA-256, {@code X-Repo-Commit}, {@code X-Linked-Size}, and
 *       single {@code Range: bytes=a-[b]} requests answered 206 with {@code Content-Range}.
 * </ul>
 *
 * <p>Each repository has one revision, {@code main}, whose commit id is derived from its files (see
 * {@link LocalRepository}); the commit id names it too. Files are re-scanned on each request, so
 * changing the folder changes the commit. Unknown repositories, revisions and files get 404. Access
 * is open: a token sent is ignored. Binds 127.0.0.1 on a free port; thread-safe. (Tests put
 * org.sentryml.testkit.FaultInjectingProxy in front of it to refuse tokens, drop Range, redirect,
 * truncate or corrupt.)
 */
public final class LocalHubServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  /** Tree entries per page: the Hub pages long listings too, so a large mirror exercises paging. */
  public static final int PAGE_SIZE = 1000;

  private final Path root;
  private final int pageSize;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<Path, LocalRepository.Memo> hashes = LocalRepository.newMemo();

  private LocalHubServer(Path root, int pageSize, HttpServer server, ExecutorService executor) {
    this.root = root;
    this.pageSize = pageSize;
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving {@code root} in pages of {@link #PAGE_SIZE}. */
  public static LocalHubServer start(Path root) {
    return start(root, PAGE_SIZE);
  }

  /**
   * Starts serving {@code root} in pages of {@code pageSize} tree entries (at least 1): for paging
   * tests.
   */
  static LocalHubServer start(Path root, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1, not " + pageSize);
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      LocalHubServer hub =
          new LocalHubServer(root.toAbsolutePath().normalize(), pageSize, server, executor);
      server.createContext("/", hub::handle);
      server.setExecutor(executor);
      server.start();
      return hub;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local hub", e);
    }
  }

  /** The base URL to give {@link HubClient}, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://127.0.0.1:" + address.getPort());
  }

  /** The commit id {@code org/name} has now, or empty if there is no such repository. */
  public Optional<String> commitOf(String repoId) {
    String[] parts = HubNames.checkRepoId(repoId).split("/", -1);
    return parts.length != 2
        ? Optional.empty()
        : repository(parts[0], parts[1]).map(LocalRepository::commit);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      route(exchange);
    } catch (IOException e) {
      // The client went away.
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    try {
      String rawPath = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      List<String> segments = decodeSegments(rawPath);
      String method = exchange.getRequestMethod();
      if (segments.size() >= 6
          && segments.get(0).equals("api")
          && segments.get(1).equals("datasets")
          && method.equals("GET")) {
        String route = segments.get(4);
        if (route.equals("revision") && segments.size() == 6) {
          revision(exchange, segments.get(2), segments.get(3), segments.get(5));
          return;
        }
        if (route.equals("tree")) {
          String folder = String.join("/", segments.subList(6, segments.size()));
          tree(exchange, segments.get(2), segments.get(3), segments.get(5), folder, query);
          return;
        }
      }
      if (segments.size() >= 6
          && segments.get(0).equals("datasets")
          && segments.get(3).equals("resolve")
          && (method.equals("GET") || method.equals("HEAD"))) {
        String path = String.join("/", segments.subList(5, segments.size()));
        resolve(exchange, segments.get(1), segments.get(2), segments.get(4), path);
        return;
      }
      sendError(exchange, 404, "NotFound", "no such route: " + method + " " + rawPath);
    } catch (RuntimeException e) {
      // The folder changed or could not be read; say so if the answer has not begun yet.
      if (exchange.getResponseCode() < 0) {
        sendError(exchange, 500, "InternalError", "cannot serve: " + e.getMessage());
      }
    }
  }

  private void revision(HttpExchange exchange, String org, String name, String revision)
      throws IOException {
    Optional<LocalRepository> repository = checkedRepository(exchange, org, name, revision);
    if (repository.isEmpty()) {
      return;
    }
    JsonObject body = new JsonObject();
    body.addProperty("id", org + "/" + name);
    body.addProperty("sha", repository.get().commit());
    body.addProperty("private", false);
    JsonArray siblings = new JsonArray();
    for (LocalRepository.Entry entry : repository.get().files()) {
      JsonObject sibling = new JsonObject();
      sibling.addProperty("rfilename", entry.path());
      siblings.add(sibling);
    }
    body.add("siblings", siblings);
    sendJson(exchange, 200, body.toString());
  }

  private void tree(
      HttpExchange exchange, String org, String name, String revision, String folder, String query)
      throws IOException {
    Optional<LocalRepository> repository = checkedRepository(exchange, org, name, revision);
    if (repository.isEmpty()) {
      return;
    }
    Map<String, String> params = parseQuery(query);
    boolean recursive = "true".equalsIgnoreCase(params.get("recursive"));
    String prefix = folder.isEmpty() ? "" : folder + "/";
    List<JsonObject> entries = new ArrayList<>();
    for (String dir : repository.get().folders()) {
      if (listed(dir, prefix, recursive)) {
        JsonObject entry = new JsonObject();
        entry.addProperty("type", "directory");
        entry.addProperty("oid", LocalRepository.gitBlobId("tree " + dir));
        entry.addProperty("size", 0);
        entry.addProperty("path", dir);
        entries.add(entry);
      }
    }
    for (LocalRepository.Entry file : repository.get().files()) {
      if (listed(file.path(), prefix, recursive)) {
        entries.add(fileEntry(file));
      }
    }
    entries.sort((a, b) -> a.get("path").getAsString().compareTo(b.get("path").getAsString()));
    int start = Math.min(entries.size(), parseIntOr(params.get("cursor"), 0));
    int end = (int) Math.min(entries.size(), (long) start + pageSize);
    if (end < entries.size()) {
      String next =
          baseUri()
              + exchange.getRequestURI().getRawPath()
              + "?"
              + (recursive ? "recursive=true&" : "")
              + "cursor="
              + end;
      exchange.getResponseHeaders().add("Link", "<" + next + ">; rel=\"next\"");
    }
    JsonArray page = new JsonArray();
    entries.subList(start, end).forEach(page::add);
    sendJson(exchange, 200, page.toString());
  }

  private static boolean listed(String path, String prefix, boolean recursive) {
    return path.startsWith(prefix)
        && path.length() > prefix.length()
        && (recursive || path.indexOf('/', prefix.length()) < 0);
  }

  private static JsonObject fileEntry(LocalRepository.Entry file) {
    JsonObject entry = new JsonObject();
    entry.addProperty("type", "file");
    entry.addProperty("oid", file.pointerOid());
    entry.addProperty("size", file.size());
    entry.addProperty("path", file.path());
    JsonObject lfs = new JsonObject();
    lfs.addProperty("oid", file.sha256());
    lfs.addProperty("size", file.size());
    lfs.addProperty("pointerSize", file.pointerSize());
    entry.add("lfs", lfs);
    return entry;
  }

  private void resolve(HttpExchange exchange, String org, String name, String revision, String path)
      throws IOException {
    Optional<LocalRepository> repository = checkedRepository(exchange, org, name, revision);
    if (repository.isEmpty()) {
      return;
    }
    Optional<LocalRepository.Entry> found = repository.get().file(path);
    if (found.isEmpty()) {
      sendError(exchange, 404, "EntryNotFound", "no file " + path + " in " + org + "/" + name);
      return;
    }
    LocalRepository.Entry file = found.get();
    var headers = exchange.getResponseHeaders();
    headers.set("X-Repo-Commit", repository.get().commit());
    headers.set("X-Linked-Etag", "\"" + file.sha256() + "\"");
    headers.set("X-Linked-Size", Long.toString(file.size()));
    headers.set("ETag", "\"" + file.sha256() + "\"");
    headers.set("Accept-Ranges", "bytes");
    headers.set("Content-Type", "application/octet-stream");
    long start = 0;
    long end = file.size() - 1;
    int status = 200;
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range != null) {
      Matcher m = RANGE.matcher(range.strip());
      if (m.matches()) {
        try {
          start = Unsigned64.parse(m.group(1));
          if (!m.group(2).isEmpty()) {
            end = Math.min(end, Unsigned64.parse(m.group(2)));
          }
        } catch (NumberFormatException beyondAnyFile) {
          start = file.size();
        }
        if (start >= file.size() || start > end) {
          headers.set("Content-Range", "bytes */" + file.size());
          exchange.sendResponseHeaders(416, -1);
          return;
        }
        status = 206;
        headers.set("Content-Range", "bytes " + start + "-" + end + "/" + file.size());
      }
    }
    long length = end - start + 1;
    if (exchange.getRequestMethod().equals("HEAD")) {
      headers.set("Content-Length", Long.toString(length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    // A zero-length body must be announced as -1: 0 means chunked to the JDK server.
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    sendBytes(exchange.getResponseBody(), file.file(), start, length);
  }

  private static void sendBytes(OutputStream out, Path file, long start, long length)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file);
        InputStream in = Channels.newInputStream(channel.position(start))) {
      byte[] buffer = new byte[1 << 16];
      long sent = 0;
      while (sent < length) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - sent));
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        sent += n;
      }
      out.flush();
    }
  }

  private Optional<LocalRepository> checkedRepository(
      HttpExchange exchange, String org, String name, String revision) throws IOException {
    Optional<LocalRepository> repository = repository(org, name);
    if (repository.isEmpty()) {
      sendError(exchange, 404, "RepoNotFound", "dataset " + org + "/" + name + " not found");
      return Optional.empty();
    }
    if (!repository.get().hasRevision(revision)) {
      sendError(exchange, 404, "RevisionNotFound", "invalid rev id: " + revision);
      return Optional.empty();
    }
    return repository;
  }

  private Optional<LocalRepository> repository(String org, String name) {
    try {
      HubNames.checkRepoId(org + "/" + name);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return LocalRepository.scan(root.resolve(org).resolve(name), hashes);
  }

  private static void sendError(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    exchange.getResponseHeaders().set("X-Error-Code", code);
    exchange.getResponseHeaders().set("X-Error-Message", message);
    JsonObject body = new JsonObject();
    body.addProperty("error", message);
    sendJson(exchange, status, body.toString());
  }

  private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static List<String> decodeSegments(String rawPath) {
    String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    return Arrays.stream(trimmed.split("/", -1))
        .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
        .toList();
  }

  private static Map<String, String> parseQuery(String query) {
    Map<String, String> params = new java.util.HashMap<>();
    if (query != null) {
      for (String pair : query.split("&", -1)) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static int parseIntOr(String value, int fallback) {
    try {
      return value == null ? fallback : Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
