package org.sentryml.data.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubCacheTest {
  private static final Path HOME = Path.of("/home/u");

  @Test
  void defaultRoot_prefersHfHubCacheThenHfHomeThenXdgThenHome() {
    assertEquals(
        Path.of("/c"), HubCache.defaultRoot(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h"), HOME));
    assertEquals(Path.of("/h/hub"), HubCache.defaultRoot(Map.of("HF_HOME", "/h"), HOME));
    assertEquals(
        Path.of("/x/huggingface/hub"), HubCache.defaultRoot(Map.of("XDG_CACHE_HOME", "/x"), HOME));
    assertEquals(Path.of("/home/u/.cache/huggingface/hub"), HubCache.defaultRoot(Map.of(), HOME));
  }

  @Test
  void layoutFollowsTheHfNaming() {
    HubCache cache = new HubCache(Path.of("/c"));
    String commit = "0123456789abcdef0123456789abcdef01234567";
    assertEquals(Path.of("/c/datasets--acme--digits"), cache.repoFolder("acme/digits"));
    assertEquals(Path.of("/c/datasets--acme--digits/blobs/ab"), cache.blob("acme/digits", "ab"));
    assertEquals(
        Path.of("/c/datasets--acme--digits/snapshots/" + commit + "/data/a.parquet"),
        cache.snapshotFile("acme/digits", commit, "data/a.parquet"));
    assertEquals(
        Path.of("/c/datasets--acme--digits/refs/refs/pr/1"),
        cache.refFile("acme/digits", "refs/pr/1"));
  }

  @Test
  void pathsThatWouldLeaveTheCacheAreRefused() {
    HubCache cache = new HubCache(Path.of("/c"));
    String commit = "0123456789abcdef0123456789abcdef01234567";
    assertThrows(IllegalArgumentException.class, () -> cache.repoFolder("../etc"));
    assertThrows(
        IllegalArgumentException.class, () -> cache.snapshotFile("a/b", commit, "../../x"));
    assertThrows(IllegalArgumentException.class, () -> cache.snapshotFile("a/b", "main", "x"));
    assertThrows(IllegalArgumentException.class, () -> cache.refFile("a/b", "../main"));
  }
}
