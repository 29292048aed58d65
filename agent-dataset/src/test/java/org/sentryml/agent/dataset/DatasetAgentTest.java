package org.sentryml.agent.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.data.hub.LocalHubServer;
import org.sentryml.testkit.FaultInjectingProxy;
import org.sentryml.testkit.FaultInjectingProxy.Faults;
import org.sentryml.testkit.RepositoryFiles;
import org.sentryml.testkit.TestTags;

@Tag(TestTags.E2E)
class DatasetAgentTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DatasetAgent.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static Path mirror() {
    return RepositoryFiles.locate("examples/hub");
  }

  @Test
  void mirrorDownloadThenOfflineRunGivesTheSameDigests() {
    Run online =
        run(
            "sentryml/mnist-subset",
            "3",
            "2.5",
            dir.resolve("a").toString(),
            "--hub-mirror",
            mirror().toString(),
            "--cache-dir",
            dir.resolve("cache").toString(),
            "--json");
    assertEquals(0, online.code(), online.err());
    JsonObject first = JsonParser.parseString(online.out()).getAsJsonObject();
    assertEquals(12_000, first.get("samples").getAsLong());
    Run offline =
        run(
            "sentryml/mnist-subset",
            "3",
            "2.5",
            dir.resolve("b").toString(),
            "--offline",
            "--cache-dir",
            dir.resolve("cache").toString(),
            "--json");
    assertEquals(0, offline.code(), offline.err());
    assertEquals(
        first.get("sources"),
        JsonParser.parseString(offline.out()).getAsJsonObject().get("sources"));
  }

  @Test
  void alphaThatIsNotPositiveIsAUsageError() {
    Run r = run("sentryml/mnist-subset", "3", "0", dir.resolve("out").toString(), "--offline");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("alpha"), r.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void nonNumericAlphaIsAUsageError() {
    assertEquals(
        2, run("sentryml/mnist-subset", "3", "lots", dir.resolve("out").toString()).code());
  }

  @Test
  void offlineWithoutCacheSaysWhatIsMissing() {
    Run r =
        run(
            "sentryml/mnist-subset",
            "3",
            "1",
            dir.resolve("out").toString(),
            "--offline",
            "--cache-dir",
            dir.resolve("empty").toString());
    assertEquals(4, r.code(), r.err());
    assertTrue(r.err().contains("sentryml/mnist-subset"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void unknownDatasetOnTheMirrorIsNotFound() {
    Run r =
        run(
            "sentryml/no-such-set",
            "3",
            "1",
            dir.resolve("out").toString(),
            "--hub-mirror",
            mirror().toString(),
            "--cache-dir",
            dir.resolve("cache").toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("not found"), r.err());
  }

  @Test
  void existingOutputNeedsForce() throws Exception {
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("out/keep.txt"), "mine");
    Run r =
        run(
            "sentryml/mnist-subset",
            "2",
            "1",
            dir.resolve("out").toString(),
            "--hub-mirror",
            mirror().toString(),
            "--cache-dir",
            dir.resolve("cache").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("mine", Files.readString(dir.resolve("out/keep.txt")));
  }

  @Test
  void datasetIdWithDotDotIsAUsageErrorNotAnInternalOne() {
    Run r =
        run(
            "../x",
            "2",
            "1",
            dir.resolve("out").toString(),
            "--offline",
            "--cache-dir",
            dir.resolve("cache").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("../x"), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
  }

  @Test
  void jsonReportsEveryFailureWithItsExitCodeAndReason() {
    Run badId = run("../x", "2", "1", dir.resolve("out").toString(), "--offline", "--json");
    JsonObject failure = JsonParser.parseString(badId.out()).getAsJsonObject();
    assertFalse(failure.get("ok").getAsBoolean());
    assertEquals(2, failure.get("exit_code").getAsInt());
    assertTrue(failure.get("error").getAsString().contains("../x"), badId.out());

    Run parse = run("--json", "sentryml/mnist-subset", "2", "lots", dir.resolve("out").toString());
    assertEquals(2, parse.code());
    assertEquals(
        2,
        JsonParser.parseString(parse.out()).getAsJsonObject().get("exit_code").getAsInt(),
        parse.out());

    Run missing =
        run(
            "sentryml/mnist-subset",
            "2",
            "1",
            dir.resolve("out").toString(),
            "--offline",
            "--cache-dir",
            dir.resolve("empty").toString(),
            "--json");
    assertEquals(
        4,
        JsonParser.parseString(missing.out()).getAsJsonObject().get("exit_code").getAsInt(),
        missing.out());
  }

  @Test
  void forceNeverReplacesAFolderHoldingTheCacheItReads() throws Exception {
    Path out = dir.resolve("out");
    Path cache = out.resolve("hf-cache");
    Run first =
        run(
            "sentryml/mnist-subset",
            "2",
            "1",
            dir.resolve("first").toString(),
            "--hub-mirror",
            mirror().toString(),
            "--cache-dir",
            cache.toString());
    assertEquals(0, first.code(), first.err());
    Run r =
        run(
            "sentryml/mnist-subset",
            "2",
            "1",
            out.toString(),
            "--offline",
            "--cache-dir",
            cache.toString(),
            "--force");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(cache.toString()), r.err());
    assertTrue(
        Files.isDirectory(cache.resolve("datasets--sentryml--mnist-subset/blobs")),
        "the cache is intact");
  }

  @Test
  void forceKeepsAFolderThatIsNoPreviousOutput() throws Exception {
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("out/keep.txt"), "mine");
    Run r =
        run(
            "sentryml/mnist-subset",
            "2",
            "1",
            dir.resolve("out").toString(),
            "--hub-mirror",
            mirror().toString(),
            "--cache-dir",
            dir.resolve("cache").toString(),
            "--force");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("not a dataset"), r.err());
    assertEquals("mine", Files.readString(dir.resolve("out/keep.txt")));
    assertFalse(Files.exists(dir.resolve("cache")), "refused before anything was downloaded");
  }

  @Test
  void staleStagingFolderOfAKilledRunIsRemovedByTheNextRun() throws Exception {
    Path stale = Files.createDirectories(dir.resolve(".out.partial-123/new/out"));
    Files.writeString(stale.resolve("source-00.tar"), "half");
    Files.createFile(dir.resolve(".out.partial-123/lock"));
    Run r =
        run(
            "sentryml/mnist-subset",
            "2",
            "1",
            dir.resolve("out").toString(),
            "--hub-mirror",
            mirror().toString(),
            "--cache-dir",
            dir.resolve("cache").toString(),
            "-q");
    assertEquals(0, r.code(), r.err());
    assertFalse(Files.exists(dir.resolve(".out.partial-123")));
  }

  @Test
  void moreSourcesThanSamplesIsRefused() {
    Run r =
        run(
            "sentryml/mnist-subset",
            "20000",
            "1",
            dir.resolve("out").toString(),
            "--hub-mirror",
            mirror().toString(),
            "--cache-dir",
            dir.resolve("cache").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("20000 sources for 12000 samples"), r.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void downloadCutShortExitsAsAnIoErrorAndTheNextRunResumesIt() throws Exception {
    try (LocalHubServer hub = LocalHubServer.start(mirror());
        FaultInjectingProxy cut =
            FaultInjectingProxy.start(hub.baseUri(), Faults.none().truncateFilesAfter(100_000))) {
      Run failed =
          run(
              "sentryml/mnist-subset",
              "2",
              "1",
              dir.resolve("out").toString(),
              "--hub-url",
              cut.baseUri().toString(),
              "--cache-dir",
              dir.resolve("cache").toString());
      assertEquals(4, failed.code(), failed.err());
      // The proxy sends 100,000 bytes, then drops the connection. The JDK's HTTP client may
      // discard body bytes it had received but not yet handed over when the connection fails, so
      // the kept part can be shorter; what counts is that it is kept, and resumed where it ends.
      Matcher stopped =
          Pattern.compile("\\.parquet stopped after (\\d+) of \\d+ bytes .*; (.+) is kept")
              .matcher(failed.err());
      assertTrue(stopped.find(), failed.err());
      long kept = Long.parseLong(stopped.group(1));
      assertTrue(kept <= 100_000, failed.err());
      assertEquals(kept, Files.size(Path.of(stopped.group(2))), failed.err());
      assertFalse(Files.exists(dir.resolve("out")));
      try (FaultInjectingProxy whole = FaultInjectingProxy.start(hub.baseUri(), Faults.none())) {
        Run resumed =
            run(
                "sentryml/mnist-subset",
                "2",
                "1",
                dir.resolve("out").toString(),
                "--hub-url",
                whole.baseUri().toString(),
                "--cache-dir",
                dir.resolve("cache").toString(),
                "-q");
        assertEquals(0, resumed.code(), resumed.err());
        if (kept > 0) {
          assertTrue(
              whole.requests().stream().anyMatch(r -> ("bytes=" + kept + "-").equals(r.range())),
              whole.requests().toString());
        }
      }
    }
  }
}
