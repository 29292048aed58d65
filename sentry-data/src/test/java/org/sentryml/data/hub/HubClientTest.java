package org.sentryml.data.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.data.hub.HubFixtures.REPO;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.SentryException;
import org.sentryml.testkit.TestFiles;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;

class HubClientTest {
  private static final String TRAIN0 = "data/train-00000-of-00002.parquet";

  @TempDir Path dir;
  private Path hubRoot;
  private HubCache cache;
  private Map<String, byte[]> files;

  @BeforeEach
  void setUp() {
    hubRoot = dir.resolve("hub");
    cache = new HubCache(dir.resolve("cache"));
    files = HubFixtures.writeDigits(hubRoot);
  }

  private <T> T withHub(
      LocalHubServer.Options options, HubToken token, Function<HubClient, T> call) {
    try (LocalHubServer server = LocalHubServer.start(hubRoot, options);
        HubClient client = new HubClient(server.baseUri(), token, cache)) {
      return call.apply(client);
    }
  }

  private HubSnapshot download(LocalHubServer server) {
    try (HubClient client = new HubClient(server.baseUri(), null, cache)) {
      return client.download(REPO, "main", null, DownloadProgress.none());
    }
  }

  private static long resolveRequests(LocalHubServer server) {
    return server.requests().stream().filter(r -> r.target().contains("/resolve/")).count();
  }

  private Path blob(String path) {
    return cache.blob(REPO, HubFixtures.sha256(files.get(path)));
  }

  private Path incomplete(String path) {
    return cache.incompleteBlob(REPO, HubFixtures.sha256(files.get(path)));
  }

  @Test
  void resolveCommit_givesTheServersCommitForMainAndForTheCommitItself() {
    try (LocalHubServer server = LocalHubServer.start(hubRoot);
        HubClient client = new HubClient(server.baseUri(), null, cache)) {
      String commit = server.commitOf(REPO).orElseThrow();
      assertEquals(commit, client.resolveCommit(REPO, "main"));
      assertEquals(commit, client.resolveCommit(REPO, commit));
    }
  }

  @Test
  void listFiles_followsPaginationAndReportsSizesAndLfsSha256() {
    LocalHubServer.Options paged = LocalHubServer.Options.defaults().withPageSize(2);
    try (LocalHubServer server = LocalHubServer.start(hubRoot, paged);
        HubClient client = new HubClient(server.baseUri(), null, cache)) {
      List<HubFile> listed = client.listFiles(REPO, server.commitOf(REPO).orElseThrow());
      assertEquals(
          files.keySet().stream().sorted().toList(), listed.stream().map(HubFile::path).toList());
      for (HubFile file : listed) {
        assertEquals(files.get(file.path()).length, file.size());
        assertEquals(HubFixtures.sha256(files.get(file.path())), file.sha256());
      }
      long pages = server.requests().stream().filter(r -> r.target().contains("/tree/")).count();
      assertTrue(pages >= 3, "5 entries (4 files, 1 folder) in pages of 2: " + pages);
    }
  }

  @Test
  void download_groupsSplitsAndFillsTheHfCacheLayout() throws IOException {
    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      String commit = server.commitOf(REPO).orElseThrow();
      HubSnapshot snapshot = download(server);

      assertEquals(commit, snapshot.commit());
      assertEquals("default", snapshot.config());
      assertEquals(List.of("test", "train"), List.copyOf(snapshot.parquetFiles().keySet()));
      List<Path> train = snapshot.parquetFiles().get("train");
      assertEquals(
          List.of(
              cache.snapshotFile(REPO, commit, TRAIN0),
              cache.snapshotFile(REPO, commit, "data/train-00001-of-00002.parquet")),
          train);
      assertArrayEquals(files.get(TRAIN0), Files.readAllBytes(train.get(0)));
      assertArrayEquals(files.get(TRAIN0), Files.readAllBytes(blob(TRAIN0)));
      if (Files.isSymbolicLink(train.get(0))) {
        assertFalse(Files.readSymbolicLink(train.get(0)).isAbsolute(), "links are relative");
      }
      assertEquals(commit, Files.readString(cache.refFile(REPO, "main")));
      assertFalse(Files.exists(cache.snapshotFile(REPO, commit, "README.md")), "only parquet");
      assertFalse(Files.exists(incomplete(TRAIN0)));
    }
  }

  @Test
  void download_secondRunUsesTheCacheAndFetchesNoFile() {
    try (LocalHubServer first = LocalHubServer.start(hubRoot)) {
      download(first);
      assertEquals(3, resolveRequests(first));
    }
    try (LocalHubServer second = LocalHubServer.start(hubRoot)) {
      HubSnapshot again = download(second);
      assertEquals(0, resolveRequests(second));
      assertEquals(2, again.parquetFiles().get("train").size());
    }
  }

  @Test
  void download_resumesAPartialFileWithARangeRequest() throws IOException {
    byte[] data = files.get(TRAIN0);
    Files.createDirectories(incomplete(TRAIN0).getParent());
    Files.write(incomplete(TRAIN0), Arrays.copyOf(data, 30_000));
    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      download(server);
      assertTrue(
          server.requests().stream()
              .anyMatch(r -> r.target().endsWith(TRAIN0) && "bytes=30000-".equals(r.range())),
          server.requests().toString());
    }
    assertArrayEquals(data, Files.readAllBytes(blob(TRAIN0)));
    assertFalse(Files.exists(incomplete(TRAIN0)));
  }

  @Test
  void download_startsOverWhenTheServerIgnoresRange() throws IOException {
    Files.createDirectories(incomplete(TRAIN0).getParent());
    // Wrong bytes in the partial file prove that they were discarded, not kept as a prefix.
    Files.write(incomplete(TRAIN0), new byte[30_000]);
    withHub(
        LocalHubServer.Options.defaults().withRangeIgnored(),
        null,
        client -> client.download(REPO, "main", null, DownloadProgress.none()));
    assertArrayEquals(files.get(TRAIN0), Files.readAllBytes(blob(TRAIN0)));
  }

  @Test
  void truncatedBody_failsNamingFileAndBytesThenTheNextRunResumes() throws IOException {
    SentryException e =
        assertThrows(
            SentryException.class,
            () ->
                withHub(
                    LocalHubServer.Options.defaults().withTruncateAfter(1000),
                    null,
                    client -> client.download(REPO, "main", null, DownloadProgress.none())));
    assertInstanceOf(IoFailureException.class, e);
    assertTrue(e.getMessage().contains("data/test-00000-of-00001.parquet"), e.getMessage());
    assertTrue(e.getMessage().contains("1000 of 5000 bytes"), e.getMessage());
    Path partial =
        cache.incompleteBlob(
            REPO, HubFixtures.sha256(files.get("data/test-00000-of-00001.parquet")));
    assertEquals(1000, Files.size(partial));

    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      download(server);
      assertTrue(server.requests().stream().anyMatch(r -> "bytes=1000-".equals(r.range())));
    }
    assertFalse(Files.exists(partial));
  }

  @Test
  void wrongChecksum_failsVerificationAndLeavesNothingThatLooksComplete() throws IOException {
    SentryException e =
        assertThrows(
            SentryException.class,
            () ->
                withHub(
                    LocalHubServer.Options.defaults().withCorruption(),
                    null,
                    client -> client.download(REPO, "main", null, DownloadProgress.none())));
    assertInstanceOf(VerificationFailedException.class, e);
    assertTrue(e.getMessage().contains("failed verification"), e.getMessage());
    String sha = HubFixtures.sha256(files.get("data/test-00000-of-00001.parquet"));
    assertTrue(e.getMessage().contains(sha), e.getMessage());
    assertFalse(Files.exists(cache.blob(REPO, sha)));
    assertFalse(Files.exists(cache.incompleteBlob(REPO, sha)));
    assertFalse(Files.exists(cache.refFile(REPO, "main")));
    Path snapshots = cache.repoFolder(REPO).resolve("snapshots");
    if (Files.exists(snapshots)) {
      try (Stream<Path> walk = Files.walk(snapshots)) {
        assertEquals(List.of(), walk.filter(Files::isRegularFile).toList());
      }
    }
  }

  @Test
  void withoutToken_aProtectedHubIsRefusedWithAUsageError() {
    LocalHubServer.Options locked = LocalHubServer.Options.defaults().withRequiredToken("hf_good");
    SentryException e =
        assertThrows(
            SentryException.class, () -> withHub(locked, null, c -> c.resolveCommit(REPO, "main")));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    assertTrue(e.getMessage().contains("token is needed"), e.getMessage());

    SentryException wrong =
        assertThrows(
            SentryException.class,
            () -> withHub(locked, HubToken.of("hf_bad"), c -> c.resolveCommit(REPO, "main")));
    assertInstanceOf(UsageException.class, wrong);
    assertTrue(wrong.getMessage().contains("refused"), wrong.getMessage());
    assertFalse(wrong.getMessage().contains("hf_bad"), "the token never appears in messages");
  }

  @Test
  void withTheRightToken_aProtectedHubDownloads() {
    LocalHubServer.Options locked = LocalHubServer.Options.defaults().withRequiredToken("hf_good");
    HubSnapshot snapshot =
        withHub(
            locked,
            HubToken.of("hf_good"),
            c -> c.download(REPO, "main", null, DownloadProgress.none()));
    assertEquals(2, snapshot.parquetFiles().get("train").size());
  }

  @Test
  void unknownDatasetOrRevision_isNotFoundAndDistinctFromAuthFailures() {
    SentryException repo =
        assertThrows(
            SentryException.class,
            () ->
                withHub(
                    LocalHubServer.Options.defaults(),
                    null,
                    c -> c.resolveCommit("acme/nope", "main")));
    assertInstanceOf(MalformedInputException.class, repo);
    assertTrue(
        repo.getMessage().contains("dataset or revision acme/nope@main not found"),
        repo.getMessage());
    SentryException revision =
        assertThrows(
            SentryException.class,
            () ->
                withHub(LocalHubServer.Options.defaults(), null, c -> c.resolveCommit(REPO, "v9")));
    assertInstanceOf(MalformedInputException.class, revision);
  }

  @Test
  void tokenGoesToTheHubButNotToARedirectOnAnotherHost() throws IOException {
    Map<String, String> seenAuthorization = new ConcurrentHashMap<>();
    HttpServer cdn =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    cdn.createContext(
        "/",
        exchange -> {
          String sha = exchange.getRequestURI().getPath().substring(1);
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          seenAuthorization.put(sha, auth == null ? "none" : auth);
          byte[] body =
              files.values().stream()
                  .filter(b -> HubFixtures.sha256(b).equals(sha))
                  .findFirst()
                  .orElseThrow();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    cdn.start();
    try {
      URI cdnBase = URI.create("http://127.0.0.1:" + cdn.getAddress().getPort() + "/");
      LocalHubServer.Options options =
          LocalHubServer.Options.defaults().withRequiredToken("hf_good").withRedirectTo(cdnBase);
      try (LocalHubServer server = LocalHubServer.start(hubRoot, options);
          HubClient client = new HubClient(server.baseUri(), HubToken.of("hf_good"), cache)) {
        client.download(REPO, "main", null, DownloadProgress.none());
        assertTrue(server.requests().stream().allMatch(LocalHubServer.Request::authorized));
      }
    } finally {
      cdn.stop(0);
    }
    assertEquals(3, seenAuthorization.size());
    assertEquals(List.of("none"), seenAuthorization.values().stream().distinct().toList());
    assertArrayEquals(files.get(TRAIN0), Files.readAllBytes(blob(TRAIN0)));
  }

  @Test
  void offline_servesTheSnapshotFromTheCacheAlone() {
    HubSnapshot online;
    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      online = download(server);
    }
    HubSnapshot offline = HubClient.offline(cache, REPO, "main", null);
    assertEquals(online, offline);
    HubSnapshot byCommit = HubClient.offline(cache, REPO, online.commit(), null);
    assertEquals(online.parquetFiles(), byCommit.parquetFiles());
  }

  @Test
  void offline_missNamesTheDatasetAndSaysToDownloadFirst() {
    SentryException e =
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "main", null));
    assertInstanceOf(IoFailureException.class, e);
    assertTrue(e.getMessage().contains(REPO + "@main"), e.getMessage());
    assertTrue(e.getMessage().contains("without --offline"), e.getMessage());
  }

  @Test
  void offline_reportsASnapshotWhoseBlobWasRemoved() throws IOException {
    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      download(server);
    }
    Files.delete(blob(TRAIN0));
    SentryException e =
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "main", null));
    assertInstanceOf(IoFailureException.class, e);
    assertTrue(e.getMessage().contains("missing its blob"), e.getMessage());
  }

  @Test
  void download_cachedBlobWithAFlippedBitIsDownloadedAgainNotUsed() throws IOException {
    try (LocalHubServer first = LocalHubServer.start(hubRoot)) {
      download(first);
    }
    flipOneBit(blob(TRAIN0));
    try (LocalHubServer second = LocalHubServer.start(hubRoot)) {
      HubSnapshot again = download(second);
      assertEquals(1, resolveRequests(second), "only the damaged file is fetched again");
      assertArrayEquals(files.get(TRAIN0), Files.readAllBytes(again.parquetFiles().get("train").get(0)));
    }
  }

  @Test
  void download_snapshotCopyThatDiffersFromItsBlobIsMadeAgain() throws IOException {
    HubSnapshot online;
    try (LocalHubServer first = LocalHubServer.start(hubRoot)) {
      online = download(first);
    }
    Path snapshot = online.parquetFiles().get("train").get(0);
    Files.delete(snapshot);
    byte[] poisoned = files.get(TRAIN0).clone();
    poisoned[100] ^= 1;
    Files.write(snapshot, poisoned);
    try (LocalHubServer second = LocalHubServer.start(hubRoot)) {
      assertArrayEquals(files.get(TRAIN0), Files.readAllBytes(download(second).parquetFiles().get("train").get(0)));
    }
  }

  @Test
  void offline_refusesACachedFileWithAFlippedBitNamingIt() throws IOException {
    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      download(server);
    }
    flipOneBit(blob(TRAIN0));
    SentryException e =
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "main", null));
    assertInstanceOf(VerificationFailedException.class, e);
    assertTrue(e.getMessage().contains(TRAIN0), e.getMessage());
    assertTrue(e.getMessage().contains(HubFixtures.sha256(files.get(TRAIN0))), e.getMessage());
  }

  @Test
  void offline_refusesASnapshotFileHoldingAnotherCachedFilesBytes() throws IOException {
    HubSnapshot online;
    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      online = download(server);
    }
    Path train0 = online.parquetFiles().get("train").get(0);
    Path train1 = online.parquetFiles().get("train").get(1);
    Files.delete(train0);
    Files.copy(train1, train0);
    SentryException e =
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "main", null));
    assertInstanceOf(VerificationFailedException.class, e);
  }

  @Test
  void offline_refusesCachedFilesWithoutARecordedChecksum() throws IOException {
    HubSnapshot online;
    try (LocalHubServer server = LocalHubServer.start(hubRoot)) {
      online = download(server);
    }
    Files.delete(CacheChecksums.file(cache, REPO, online.commit()));
    SentryException e =
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "main", null));
    assertInstanceOf(IoFailureException.class, e);
    assertTrue(e.getMessage().contains("no checksum is recorded"), e.getMessage());
  }

  @Test
  void badDatasetId_isAUsageErrorNotAnInternalOne() {
    for (String id : new String[] {"../x", "a/../b", "a/b/c", ""}) {
      SentryException e =
          assertThrows(SentryException.class, () -> HubClient.offline(cache, id, "main", null), id);
      assertInstanceOf(UsageException.class, e, id);
    }
    assertInstanceOf(UsageException.class,
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "../main", null))
            );
  }

  private static void flipOneBit(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
  }

  @Test
  void progress_endsWithEveryFileComplete() {
    Map<String, long[]> last = new ConcurrentHashMap<>();
    withHub(
        LocalHubServer.Options.defaults(),
        null,
        c ->
            c.download(
                REPO,
                "main",
                null,
                (path, done, total) -> last.put(path, new long[] {done, total})));
    assertEquals(3, last.size());
    last.forEach(
        (path, doneTotal) -> {
          assertEquals(files.get(path).length, doneTotal[1], path);
          assertEquals(doneTotal[1], doneTotal[0], path);
        });
  }

  @Test
  void severalConfigs_needAChoice() {
    TestFiles.write(
        hubRoot.resolve(REPO).resolve("other/train-00000-of-00001.parquet"),
        TestFiles.randomBytes(4, 100));
    SentryException e =
        assertThrows(
            SentryException.class,
            () ->
                withHub(
                    LocalHubServer.Options.defaults(),
                    null,
                    c -> c.download(REPO, "main", null, DownloadProgress.none())));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("default, other"), e.getMessage());
    HubSnapshot other =
        withHub(
            LocalHubServer.Options.defaults(),
            null,
            c -> c.download(REPO, "main", "other", DownloadProgress.none()));
    assertEquals("other", other.config());
    assertNotNull(other.parquetFiles().get("train"));
    assertNull(other.parquetFiles().get("test"));
  }
}
