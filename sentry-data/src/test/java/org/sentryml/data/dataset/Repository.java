package org.sentryml.data.dataset;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files committed to the repository, whatever folder the tests run from. */
final class Repository {
  private Repository() {}

  /** The nearest folder at or above the working directory that holds {@code examples/}. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("examples"))) {
        return d;
      }
    }
    throw new IllegalStateException("no folder holding examples/ at or above " + dir);
  }

  static Path mnistSubset() {
    return root().resolve("examples/hub/sentryml/mnist-subset/mnist");
  }
}
