package org.sentryml.data.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.data.hub.HubFixtures.REPO;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.TestFiles;

class LocalHubServerTest {
  private static final String TEST = "data/test-00000-of-00001.parquet";

  @TempDir Path dir;
  private Map<String, byte[]> files;

  @BeforeEach
  void setUp() {
    files = HubFixtures.writeDigits(dir.resolve("a"));
  }

  private static HttpResponse<byte[]> send(HttpRequest request)
      throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  private static URI resolveUri(LocalHubServer server, String path) {
    return URI.create(server.baseUri() + "/datasets/" + REPO + "/resolve/main/" + path);
  }

  @Test
  void commitId_isFortyHexAndTheSameForTheSameFilesAnywhere() {
    HubFixtures.writeDigits(dir.resolve("b"));
    try (LocalHubServer a = LocalHubServer.start(dir.resolve("a"));
        LocalHubServer b = LocalHubServer.start(dir.resolve("b"))) {
      String commit = a.commitOf(REPO).orElseThrow();
      assertTrue(commit.matches("[0-9a-f]{40}"), commit);
      assertEquals(commit, b.commitOf(REPO).orElseThrow());
      TestFiles.write(dir.resolve("b").resolve(REPO).resolve(TEST), new byte[] {1});
      assertNotEquals(commit, b.commitOf(REPO).orElseThrow());
    }
  }

  @Test
  void resolve_sendsTheFileWithEtagAndCommitHeaders() throws Exception {
    try (LocalHubServer server = LocalHubServer.start(dir.resolve("a"))) {
      HttpResponse<byte[]> response =
          send(HttpRequest.newBuilder(resolveUri(server, TEST)).build());
      assertEquals(200, response.statusCode());
      assertArrayEquals(files.get(TEST), response.body());
      String sha = HubFixtures.sha256(files.get(TEST));
      assertEquals("\"" + sha + "\"", response.headers().firstValue("ETag").orElseThrow());
      assertEquals(
          server.commitOf(REPO).orElseThrow(),
          response.headers().firstValue("X-Repo-Commit").orElseThrow());
    }
  }

  @Test
  void rangeRequest_getsA206WithContentRange() throws Exception {
    try (LocalHubServer server = LocalHubServer.start(dir.resolve("a"))) {
      HttpResponse<byte[]> response =
          send(
              HttpRequest.newBuilder(resolveUri(server, TEST))
                  .header("Range", "bytes=4000-")
                  .build());
      assertEquals(206, response.statusCode());
      assertEquals(
          "bytes 4000-4999/5000", response.headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(Arrays.copyOfRange(files.get(TEST), 4000, 5000), response.body());

      HttpResponse<byte[]> beyond =
          send(
              HttpRequest.newBuilder(resolveUri(server, TEST))
                  .header("Range", "bytes=5000-")
                  .build());
      assertEquals(416, beyond.statusCode());
    }
  }

  @Test
  void head_answersWithHeadersOnly() throws Exception {
    try (LocalHubServer server = LocalHubServer.start(dir.resolve("a"))) {
      HttpResponse<byte[]> response =
          send(
              HttpRequest.newBuilder(resolveUri(server, TEST))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build());
      assertEquals(200, response.statusCode());
      assertEquals(0, response.body().length);
      assertEquals("5000", response.headers().firstValue("X-Linked-Size").orElseThrow());
    }
  }

  @Test
  void unknownRepositoryRevisionOrFile_is404() throws Exception {
    try (LocalHubServer server = LocalHubServer.start(dir.resolve("a"))) {
      URI base = server.baseUri();
      for (String target :
          new String[] {
            "/api/datasets/acme/nope/revision/main",
            "/api/datasets/" + REPO + "/revision/v2",
            "/datasets/" + REPO + "/resolve/main/data/none.parquet",
            "/nothing/here"
          }) {
        assertEquals(
            404,
            send(HttpRequest.newBuilder(URI.create(base + target)).build()).statusCode(),
            target);
      }
    }
  }

  @Test
  void anyTokenIsIgnored_accessIsOpen() throws Exception {
    try (LocalHubServer server = LocalHubServer.start(dir.resolve("a"))) {
      URI uri = URI.create(server.baseUri() + "/api/datasets/" + REPO + "/revision/main");
      assertEquals(200, send(HttpRequest.newBuilder(uri).build()).statusCode());
      assertEquals(
          200,
          send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer any").build())
              .statusCode());
    }
  }

  @Test
  void treeListing_isPagedByAbsoluteNextLinks() throws Exception {
    try (LocalHubServer server = LocalHubServer.start(dir.resolve("a"), 4)) {
      URI first =
          URI.create(server.baseUri() + "/api/datasets/" + REPO + "/tree/main?recursive=true");
      HttpResponse<byte[]> page = send(HttpRequest.newBuilder(first).build());
      String next = page.headers().firstValue("Link").orElseThrow();
      assertEquals(
          "<"
              + server.baseUri()
              + "/api/datasets/"
              + REPO
              + "/tree/main?recursive=true&cursor=4>; rel=\"next\"",
          next);
      HttpResponse<byte[]> last =
          send(HttpRequest.newBuilder(URI.create(next.substring(1, next.indexOf('>')))).build());
      assertTrue(
          last.headers().firstValue("Link").isEmpty(),
          "5 entries (4 files, 1 folder) in pages of 4");
      assertTrue(
          new String(last.body(), StandardCharsets.UTF_8).contains("train-00001-of-00002.parquet"));
    }
  }

  @Test
  void pageSize_belowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> LocalHubServer.start(dir.resolve("a"), 0));
  }
}
