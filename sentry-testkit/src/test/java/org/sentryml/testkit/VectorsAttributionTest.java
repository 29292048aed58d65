package org.sentryml.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every folder of public vectors is attributed in the README beside it: source and licence. */
class VectorsAttributionTest {
  @Test
  void everyVectorFolderHasAReadmeSectionNamingItsLicence() throws IOException {
    Path root = TestVectors.root();
    String readme = Files.readString(root.resolve("README.md"));
    List<String> unattributed;
    try (Stream<Path> folders = Files.list(root)) {
      unattributed =
          folders
              .filter(Files::isDirectory)
              .map(folder -> folder.getFileName().toString())
              .filter(name -> !attributed(readme, name))
              .sorted()
              .toList();
    }
    assertEquals(List.of(), unattributed, "folders without a '## name/' section naming a licence");
  }

  /** A section heading {@code ## name/} whose heading or body names a licence. */
  private static boolean attributed(String readme, String folder) {
    int heading = readme.indexOf("\n## " + folder + "/");
    if (heading < 0) {
      return false;
    }
    int next = readme.indexOf("\n## ", heading + 1);
    String section = readme.substring(heading, next < 0 ? readme.length() : next);
    return section.matches("(?s).*(Apache-2\\.0|CC0-1\\.0|BSD-3-Clause).*");
  }
}
