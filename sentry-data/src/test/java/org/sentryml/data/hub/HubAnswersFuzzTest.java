package org.sentryml.data.hub;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sentryml.core.errors.SentryException;

/**
 * Any answer of a Hub (or of something posing as one): revision documents, tree listings and
 * pagination headers are read or refused with a {@link SentryException}; nothing else may escape,
 * and no listed file may name a path outside the repository.
 */
class HubAnswersFuzzTest {
  private static final URI PAGE =
      URI.create("https://huggingface.co/api/datasets/org/name/tree/main");

  @FuzzTest
  void revisionIsReadOrRefused(byte[] input) {
    try {
      TreeListing.commitOf(new String(input, StandardCharsets.UTF_8), "fuzz");
    } catch (SentryException expected) {
      // refused
    }
  }

  @FuzzTest
  void treeListingIsReadOrRefused(byte[] input) {
    List<HubFile> files;
    try {
      files = TreeListing.filesOf(new String(input, StandardCharsets.UTF_8), "fuzz");
    } catch (SentryException expected) {
      return;
    }
    for (HubFile file : files) {
      String path = file.path();
      if (path.startsWith("/") || ("/" + path + "/").contains("/../")) {
        throw new AssertionError("a listed file escapes the repository: " + path);
      }
    }
  }

  @FuzzTest
  void paginationHeaderIsReadOrRefused(@NotNull String header) {
    try {
      TreeListing.nextPage(List.of(header), PAGE);
    } catch (SentryException expected) {
      // refused
    }
  }
}
