package org.sentryml.data.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;

/** The small parsers and rules under the client: Link headers, listings, origins, digests. */
class WireFormatTest {
  private static final String OID = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void nextPage_findsRelNextAmongSeveralLinksAndResolvesRelativeTargets() {
    URI page = URI.create("https://hub.example/api/datasets/a/b/tree/main?recursive=true");
    assertEquals(
        Optional.of(URI.create("https://hub.example/api/datasets/a/b/tree/main?cursor=xyz")),
        TreeListing.nextPage(
            List.of(
                "<https://hub.example/first>; rel=\"prev\","
                    + " </api/datasets/a/b/tree/main?cursor=xyz>; rel=\"next\""),
            page));
    assertEquals(Optional.empty(), TreeListing.nextPage(List.of(), page));
  }

  @Test
  void nextPage_refusesALinkTargetThatIsNotAUri() {
    // Found by HubAnswersFuzzTest: a target URI.resolve cannot parse was an internal error.
    URI page = URI.create("https://hub.example/api/datasets/a/b/tree/main");
    SentryException e =
        assertThrows(
            SentryException.class, () -> TreeListing.nextPage(List.of("<:>; rel=next"), page));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("not a URI"), e.getMessage());
  }

  @Test
  void filesOf_skipsFoldersAndTakesLfsSizeAndOid() {
    String sha = "a".repeat(64);
    List<HubFile> files =
        TreeListing.filesOf(
            "[{\"type\":\"directory\",\"oid\":\""
                + OID
                + "\",\"size\":0,\"path\":\"data\"},"
                + "{\"type\":\"file\",\"oid\":\""
                + OID
                + "\",\"size\":132,\"path\":\"data/x.parquet\","
                + "\"lfs\":{\"oid\":\""
                + sha
                + "\",\"size\":9000,\"pointerSize\":132}}]",
            "test");
    assertEquals(List.of(new HubFile("data/x.parquet", 9000, OID, sha)), files);
  }

  @Test
  void filesOf_refusesAPathThatWouldLeaveTheSnapshot() {
    SentryException e =
        assertThrows(
            SentryException.class,
            () ->
                TreeListing.filesOf(
                    "[{\"type\":\"file\",\"oid\":\""
                        + OID
                        + "\",\"size\":1,\"path\":\"../x.parquet\"}]",
                    "test"));
    assertInstanceOf(MalformedInputException.class, e);
  }

  @Test
  void filesOf_refusesSizesThatAreNotUnsigned64BitIntegers() {
    // Gson would read 1.5 as 1 and 2^64 + 1 as 1; a size is taken only as written.
    for (String size : new String[] {"1.5", "-1", "18446744073709551617", "1e3", "\"12\""}) {
      SentryException e =
          assertThrows(
              SentryException.class,
              () ->
                  TreeListing.filesOf(
                      "[{\"type\":\"file\",\"oid\":\""
                          + OID
                          + "\",\"size\":"
                          + size
                          + ",\"path\":\"data/x.parquet\"}]",
                      "test"),
              size);
      assertInstanceOf(MalformedInputException.class, e);
      assertTrue(e.getMessage().contains("data/x.parquet"), e.getMessage());
    }
  }

  @Test
  void commitOf_refusesAShaThatIsNotACommitId() {
    assertEquals(OID, TreeListing.commitOf("{\"sha\":\"" + OID + "\"}", "test"));
    SentryException e =
        assertThrows(SentryException.class, () -> TreeListing.commitOf("{\"sha\":\"main\"}", "t"));
    assertInstanceOf(MalformedInputException.class, e);
  }

  @Test
  void sameOrigin_needsSchemeHostAndPortToMatch() {
    URI hub = URI.create("https://huggingface.co");
    assertTrue(HubHttp.sameOrigin(URI.create("https://HuggingFace.co:443/api/x"), hub));
    assertFalse(HubHttp.sameOrigin(URI.create("https://cdn-lfs.huggingface.co/x"), hub));
    assertFalse(HubHttp.sameOrigin(URI.create("http://huggingface.co/x"), hub));
    assertFalse(HubHttp.sameOrigin(URI.create("https://huggingface.co:8443/x"), hub));
  }

  @Test
  void contentCheck_usesTheGitBlobIdForFilesOutsideLfs() {
    byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
    // `git hash-object` of "hello\n".
    ContentCheck check =
        new ContentCheck(
            new HubFile(
                "README.md", hello.length, "ce013625030ba8dba906f756967f9e9ca394464a", null));
    check.update(hello, 0, hello.length);
    assertEquals(check.expected(), check.actual());
  }

  @Test
  void normalizeEtag_dropsQuotesAndTheWeakMarker() {
    assertEquals("abc", BlobDownloader.normalizeEtag("W/\"ABC\""));
    assertEquals("abc", BlobDownloader.normalizeEtag("\"abc\""));
  }

  @Test
  void urlEncoding_keepsSlashesInPathsButNotInRevisions() {
    assertEquals("refs%2Fconvert%2Fparquet", HubNames.segment("refs/convert/parquet"));
    assertEquals("data/a%20b%2Bc.parquet", HubNames.path("data/a b+c.parquet"));
  }
}
