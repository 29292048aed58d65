package org.sentryml.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IgnoreRulesTest {
  @Test
  void defaults_areModelSigningsGitMetadata() {
    assertEquals(
        List.of(".git", ".gitattributes", ".github", ".gitignore"),
        IgnoreRules.defaultsPlus(List.of()).paths());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".git",
        ".git/HEAD",
        ".git/refs/heads/main",
        ".github/workflows/ci.yml",
        ".gitignore"
      })
  void defaults_ignoreGitMetadataAndEverythingBelowIt(String name) {
    assertTrue(IgnoreRules.defaultsPlus(List.of()).ignores(name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sub/.git",
        "sub/.gitignore",
        ".gitmodules",
        ".git-blame-ignore-revs",
        "model.bin"
      })
  void defaults_ignoreOnlyTopLevelGitNames(String name) {
    assertFalse(IgnoreRules.defaultsPlus(List.of()).ignores(name));
  }

  @Test
  void none_ignoresNothingNotEvenGitMetadata() {
    assertEquals(List.of(), IgnoreRules.none().paths());
    assertFalse(IgnoreRules.none().ignores(".git/HEAD"));
  }

  @Test
  void aRule_ignoresItsPathAndWhatIsBelowItButNotANameItPrefixes() {
    IgnoreRules rules = IgnoreRules.defaultsPlus(List.of("a"));
    assertTrue(rules.ignores("a"));
    assertTrue(rules.ignores("a/b"));
    assertTrue(rules.ignores("a/b/c"));
    assertFalse(rules.ignores("ab"));
    assertFalse(rules.ignores("a.bin"));
    assertFalse(rules.ignores("b/a"));
  }

  @Test
  void rules_areNormalizedToRelativePosixPathsWithoutTrailingSlashes() {
    IgnoreRules rules =
        IgnoreRules.defaultsPlus(List.of("./logs/", "sub\\cache", "././x//", "model.sig"));
    assertEquals(
        List.of(
            ".git",
            ".gitattributes",
            ".github",
            ".gitignore",
            "logs",
            "model.sig",
            "sub/cache",
            "x"),
        rules.paths());
    assertTrue(rules.ignores("logs/run.txt"));
    assertTrue(rules.ignores("sub/cache/blob"));
    assertTrue(rules.ignores("model.sig"));
  }

  @Test
  void paths_areListedOnceInCanonicalOrder() {
    IgnoreRules rules = IgnoreRules.defaultsPlus(List.of("b", "a", "b", ".git"));
    assertEquals(
        List.of(".git", ".gitattributes", ".github", ".gitignore", "a", "b"), rules.paths());
  }
}
