package org.sentryml.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files committed to this repository (examples, native sources, shipping files), found from
 * whatever folder a test runs in. The repository root is the nearest folder at or above the working
 * directory whose {@code pom.xml} is the {@code sentry-parent} pom: a folder that merely holds an
 * {@code examples/} of the same name, above or beside the checkout, is never taken for it.
 */
public final class RepositoryFiles {
  private static final String PARENT_ARTIFACT = "<artifactId>sentry-parent</artifactId>";

  private RepositoryFiles() {}

  /**
   * The repository root.
   *
   * @throws IllegalStateException when no folder at or above the working directory holds the {@code
   *     sentry-parent} pom
   */
  public static Path root() {
    return rootAbove(Path.of("").toAbsolutePath());
  }

  /**
   * The file or folder at {@code relative} from the repository root (e.g. {@code "examples/hub"}).
   *
   * @throws IllegalStateException when there is none, naming the path looked at
   */
  public static Path locate(String relative) {
    Path found = root().resolve(relative).normalize();
    if (!Files.exists(found)) {
      throw new IllegalStateException(
          "no " + relative + " in the repository: " + found + " does not exist");
    }
    return found;
  }

  /** The repository root at or above {@code start}; package-private for its test. */
  static Path rootAbove(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (isParentPom(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no folder at or above "
            + start
            + " holds the sentry-parent pom.xml; run the tests inside the repository");
  }

  private static boolean isParentPom(Path pom) {
    if (!Files.isRegularFile(pom)) {
      return false;
    }
    try {
      // A module's pom names sentry-parent only inside <parent>; the root pom names it as itself.
      String text = Files.readString(pom);
      int parent = text.indexOf("<parent>");
      int parentEnd = text.indexOf("</parent>");
      String own =
          parent < 0 || parentEnd < parent
              ? text
              : text.substring(0, parent) + text.substring(parentEnd + "</parent>".length());
      return own.contains(PARENT_ARTIFACT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pom, e);
    }
  }
}
