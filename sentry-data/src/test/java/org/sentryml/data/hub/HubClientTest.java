package org.sentryml.data.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.data.hub.HubFixtures.REPO;

import java.io.IOException;
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
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.testkit.FaultInjectingProxy;
import org.sentryml.testkit.FaultInjectingProxy.Faults;
import org.sentryml.testkit.TestFiles;

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

  /** The mirror of {@code hubRoot} behind a proxy that injects {@code faults} and logs requests. */
  private record Hub(LocalHubServer mirror, FaultInjectingProxy proxy) implements AutoCloseable {
    static Hub start(Path root, Faults faults) {
      LocalHubServer mirror = LocalHubServer.start(root);
      return new Hub(mirror, FaultInjectingProxy.start(mirror.baseUri(), faults));
    }

    URI baseUri() {
      return proxy.baseUri();
    }

    List<FaultInjectingProxy.Request> requests() {
      return proxy.requests();
    }

    long resolveRequests() {
      return requests().stream().filter(r -> r.target().contains("/resolve/")).count();
    }

    @Override
    public void close() {
      proxy.close();
      mirror.close();
    }
  }

  private Hub hub() {
    return Hub.start(hubRoot, Faults.none());
  }

  private <T> T withHub(Faults faults, HubToken token, Function<HubClient, T> call) {
    try (Hub hub = Hub.start(hubRoot, faults);
        HubClient client = new HubClient(hub.baseUri(), token, cache)) {
      return call.apply(client);
    }
  }

  private HubSnapshot download(Hub hub) {
    try (HubClient client = new HubClient(hub.baseUri(), null, cache)) {
      return client.download(REPO, "main", null, DownloadProgress.none());
    }
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
    try (LocalHubServer mirror = LocalHubServer.start(hubRoot, 2);
        FaultInjectingProxy proxy = FaultInjectingProxy.start(mirror.baseUri(), Faults.none());
        HubClient client = new HubClient(proxy.baseUri(), null, cache)) {
      List<HubFile> listed = client.listFiles(REPO, mirror.commitOf(REPO).orElseThrow());
      assertEquals(
          files.keySet().stream().sorted().toList(), listed.stream().map(HubFile::path).toList());
      for (HubFile file : listed) {
        assertEquals(files.get(file.path()).length, file.size());
        assertEquals(HubFixtures.sha256(files.get(file.path())), file.sha256());
      }
      long pages = proxy.requests().stream().filter(r -> r.target().contains("/tree/")).count();
      assertEquals(3, pages, "5 entries (4 files, 1 folder) in pages of 2");
    }
  }

  @Test
  void download_groupsSplitsAndFillsTheHfCacheLayout() throws IOException {
    try (Hub hub = hub()) {
      String commit = hub.mirror().commitOf(REPO).orElseThrow();
      HubSnapshot snapshot = download(hub);

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
      // The temporary folder is on a POSIX file system, which takes links: no fallback copy here.
      assertTrue(Files.isSymbolicLink(train.get(0)), train.get(0) + " is a link to its blob");
      assertFalse(Files.readSymbolicLink(train.get(0)).isAbsolute(), "links are relative");
      assertEquals(commit, Files.readString(cache.refFile(REPO, "main")));
      assertFalse(Files.exists(cache.snapshotFile(REPO, commit, "README.md")), "only parquet");
      assertFalse(Files.exists(incomplete(TRAIN0)));
    }
  }

  @Test
  void download_secondRunUsesTheCacheAndFetchesNoFile() {
    try (Hub first = hub()) {
      download(first);
      assertEquals(3, first.resolveRequests());
    }
    try (Hub second = hub()) {
      HubSnapshot again = download(second);
      assertEquals(0, second.resolveRequests());
      assertEquals(2, again.parquetFiles().get("train").size());
    }
  }

  @Test
  void download_resumesAPartialFileWithARangeRequest() throws IOException {
    byte[] data = files.get(TRAIN0);
    Files.createDirectories(incomplete(TRAIN0).getParent());
    Files.write(incomplete(TRAIN0), Arrays.copyOf(data, 30_000));
    try (Hub hub = hub()) {
      download(hub);
      assertTrue(
          hub.requests().stream()
              .anyMatch(r -> r.target().endsWith(TRAIN0) && "bytes=30000-".equals(r.range())),
          hub.requests().toString());
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
        Faults.none().stripRange(),
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
                    Faults.none().truncateFilesAfter(1000),
                    null,
                    client -> client.download(REPO, "main", null, DownloadProgress.none())));
    assertInstanceOf(IoFailureException.class, e);
    assertTrue(e.getMessage().contains("data/test-00000-of-00001.parquet"), e.getMessage());
    assertTrue(e.getMessage().contains("1000 of 5000 bytes"), e.getMessage());
    Path partial =
        cache.incompleteBlob(
            REPO, HubFixtures.sha256(files.get("data/test-00000-of-00001.parquet")));
    assertEquals(1000, Files.size(partial));

    try (Hub hub = hub()) {
      download(hub);
      assertTrue(hub.requests().stream().anyMatch(r -> "bytes=1000-".equals(r.range())));
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
                    Faults.none().corruptFirstByte(),
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
    Faults locked = Faults.none().requireToken("hf_good");
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
    Faults locked = Faults.none().requireToken("hf_good");
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
            () -> withHub(Faults.none(), null, c -> c.resolveCommit("acme/nope", "main")));
    assertInstanceOf(MalformedInputException.class, repo);
    assertTrue(
        repo.getMessage().contains("dataset or revision acme/nope@main not found"),
        repo.getMessage());
    SentryException revision =
        assertThrows(
            SentryException.class,
            () -> withHub(Faults.none(), null, c -> c.resolveCommit(REPO, "v9")));
    assertInstanceOf(MalformedInputException.class, revision);
  }

  /** As the Hub sends LFS files to a CDN: the token goes to the Hub, never to the other host. */
  @Test
  void tokenGoesToTheHubButNotToARedirectOnAnotherHost() throws IOException {
    try (LocalHubServer mirror = LocalHubServer.start(hubRoot);
        FaultInjectingProxy cdn = FaultInjectingProxy.start(mirror.baseUri(), Faults.none());
        FaultInjectingProxy hub =
            FaultInjectingProxy.start(
                mirror.baseUri(),
                Faults.none().requireToken("hf_good").redirectFilesTo(cdn.baseUri()));
        HubClient client = new HubClient(hub.baseUri(), HubToken.of("hf_good"), cache)) {
      client.download(REPO, "main", null, DownloadProgress.none());
      assertTrue(
          hub.requests().stream().allMatch(FaultInjectingProxy.Request::authorized),
          hub.requests().toString());
      assertEquals(3, cdn.requests().size(), cdn.requests().toString());
      assertTrue(
          cdn.requests().stream().noneMatch(FaultInjectingProxy.Request::authorized),
          cdn.requests().toString());
    }
    assertArrayEquals(files.get(TRAIN0), Files.readAllBytes(blob(TRAIN0)));
  }

  @Test
  void offline_servesTheSnapshotFromTheCacheAlone() {
    HubSnapshot online;
    try (Hub hub = hub()) {
      online = download(hub);
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
    try (Hub hub = hub()) {
      download(hub);
    }
    Files.delete(blob(TRAIN0));
    SentryException e =
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "main", null));
    assertInstanceOf(IoFailureException.class, e);
    assertTrue(e.getMessage().contains("missing its blob"), e.getMessage());
  }

  @Test
  void download_cachedBlobWithAFlippedBitIsDownloadedAgainNotUsed() throws IOException {
    try (Hub first = hub()) {
      download(first);
    }
    flipOneBit(blob(TRAIN0));
    try (Hub second = hub()) {
      HubSnapshot again = download(second);
      assertEquals(1, second.resolveRequests(), "only the damaged file is fetched again");
      assertArrayEquals(
          files.get(TRAIN0), Files.readAllBytes(again.parquetFiles().get("train").get(0)));
    }
  }

  @Test
  void download_snapshotCopyThatDiffersFromItsBlobIsMadeAgain() throws IOException {
    HubSnapshot online;
    try (Hub first = hub()) {
      online = download(first);
    }
    Path snapshot = online.parquetFiles().get("train").get(0);
    Files.delete(snapshot);
    byte[] poisoned = files.get(TRAIN0).clone();
    poisoned[100] ^= 1;
    Files.write(snapshot, poisoned);
    try (Hub second = hub()) {
      assertArrayEquals(
          files.get(TRAIN0),
          Files.readAllBytes(download(second).parquetFiles().get("train").get(0)));
    }
  }

  @Test
  void offline_refusesACachedFileWithAFlippedBitNamingIt() throws IOException {
    try (Hub hub = hub()) {
      download(hub);
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
    try (Hub hub = hub()) {
      online = download(hub);
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
    try (Hub hub = hub()) {
      online = download(hub);
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
    assertInstanceOf(
        UsageException.class,
        assertThrows(SentryException.class, () -> HubClient.offline(cache, REPO, "../main", null)));
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
        Faults.none(),
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
                    Faults.none(),
                    null,
                    c -> c.download(REPO, "main", null, DownloadProgress.none())));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains("default, other"), e.getMessage());
    HubSnapshot other =
        withHub(
            Faults.none(), null, c -> c.download(REPO, "main", "other", DownloadProgress.none()));
    assertEquals("other", other.config());
    assertNotNull(other.parquetFiles().get("train"));
    assertNull(other.parquetFiles().get("test"));
  }
}
