package org.sentryml.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The public test vectors of {@code vectors/README.md} as files. When the testkit is a folder of
 * classes (an IDE, a module's own tests) they are read in place; when it is a jar (another module's
 * tests in a Maven build) the whole tree is copied once per JVM into a temporary folder, deleted at
 * exit, so that tests can hand paths to the code under test.
 */
public final class TestVectors {
  private static final String ROOT = "/org/sentryml/testkit/vectors/README.md";
  private static volatile Path root;

  private TestVectors() {}

  /** The folder that holds every vector. */
  public static Path root() {
    Path found = root;
    if (found == null) {
      synchronized (TestVectors.class) {
        if (root == null) {
          root = locate();
        }
        found = root;
      }
    }
    return found;
  }

  /**
   * The vector at {@code relative} (e.g. {@code "oms-spec/keys/ca-cert.pem"}).
   *
   * @throws IllegalArgumentException when there is none, so that a typo fails the test at once
   */
  public static Path path(String relative) {
    Path file = root().resolve(relative);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("no test vector " + relative + " under " + root());
    }
    return file;
  }

  /** The bytes of the vector at {@code relative}. */
  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The vector at {@code relative} as UTF-8 text. */
  public static String text(String relative) {
    return new String(bytes(relative), StandardCharsets.UTF_8);
  }

  private static Path locate() {
    URL readme = TestVectors.class.getResource(ROOT);
    if (readme == null) {
      throw new IllegalStateException("the testkit's vectors are not on the class path");
    }
    try {
      URI uri = readme.toURI();
      if (uri.getScheme().equals("file")) {
        return Path.of(uri).getParent();
      }
      return extract(uri);
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the testkit's vectors at " + readme, e);
    }
  }

  private static Path extract(URI readme) throws IOException {
    Path target = Files.createTempDirectory("sentry-testkit-vectors-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(target)));
    try (FileSystem jar = FileSystems.newFileSystem(readme, Map.of())) {
      Path source = jar.provider().getPath(readme).getParent();
      try (Stream<Path> tree = Files.walk(source)) {
        for (Path entry : (Iterable<Path>) tree::iterator) {
          Path copy = target.resolve(source.relativize(entry).toString());
          if (Files.isDirectory(entry)) {
            Files.createDirectories(copy);
          } else {
            Files.copy(entry, copy);
          }
        }
      }
    }
    return target;
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> tree = Files.walk(folder)) {
      tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // Best effort at exit: the folder is in the temporary directory.
    }
  }
}
