package org.sentryml.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;

/**
 * Finds the prepared dataset an agent should use when none is named: the one folder holding a
 * {@code manifest.json} under {@code ./dataset} (itself, or one or two levels down, as {@code
 * sentry-dataset ... dataset/cifar10} leaves it). With none or several, the error says which.
 */
public final class DatasetLocator {
  private DatasetLocator() {}

  public static Path locate(Path explicit, Path searchRoot) {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit.resolve(DatasetManifest.FILE))) {
        throw new PathException(
            PathException.Kind.NOT_FOUND,
            explicit
                + " is not a prepared dataset (no "
                + DatasetManifest.FILE
                + "); run sentry-dataset first");
      }
      return explicit;
    }
    if (!Files.isDirectory(searchRoot)) {
      throw new PathException(
          PathException.Kind.NOT_FOUND,
          "no dataset given and no "
              + searchRoot
              + " folder; pass --dataset DIR or run sentry-dataset first");
    }
    List<Path> found;
    try (Stream<Path> walk = Files.walk(searchRoot, 3)) {
      found =
          walk.filter(p -> p.getFileName().toString().equals(DatasetManifest.FILE))
              .map(Path::getParent)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw PathProblems.classify(searchRoot, e);
    }
    if (found.isEmpty()) {
      throw new PathException(
          PathException.Kind.NOT_FOUND,
          "no prepared dataset under "
              + searchRoot
              + "; pass --dataset DIR or run sentry-dataset first");
    }
    if (found.size() > 1) {
      throw new UsageException(
          "several datasets under "
              + searchRoot
              + ": "
              + found.stream().map(Path::toString).collect(Collectors.joining(", "))
              + "; choose one with --dataset DIR");
    }
    return found.get(0);
  }
}
