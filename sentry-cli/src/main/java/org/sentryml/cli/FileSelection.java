package org.sentryml.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Option;

/**
 * Which files of a model count: extra ignored paths and the symbolic-link policy (hash, sign,
 * verify).
 */
public final class FileSelection {
  @Option(
      names = {"--ignore_paths", "--ignore-paths"},
      arity = "1..*",
      paramLabel = "P",
      description =
          "Paths relative to the model (or absolute paths inside it) to leave out (besides .git, .gitattributes, .github, .gitignore).")
  List<String> ignorePaths = new ArrayList<>();

  @Option(
      names = {"--allow_symlinks", "--allow-symlinks"},
      description = "Follow symbolic links that stay inside the model folder.")
  boolean allowSymlinks;

  /**
   * The ignore paths as relative POSIX paths inside {@code model}: an absolute path inside the
   * model is made relative to it, since the signature records ignore paths relative to the model;
   * one outside it, or one that climbs out with {@code ..}, could never match a file of the model
   * and would be recorded as something verification refuses, so it is a usage error.
   */
  List<String> ignorePaths(Path model) {
    Path root = model.toAbsolutePath().normalize();
    List<String> relative = new ArrayList<>();
    for (String given : ignorePaths) {
      Path path = Path.of(given);
      if (path.isAbsolute()) {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root) || normalized.equals(root)) {
          throw usage(given, "is not inside the model " + root);
        }
        path = root.relativize(normalized);
      }
      String posix = path.toString().replace('\\', '/');
      for (String part : posix.split("/", -1)) {
        if (part.equals("..")) {
          throw usage(given, "climbs out of the model with '..'");
        }
      }
      relative.add(posix);
    }
    return List.copyOf(relative);
  }

  private static SentryException usage(String path, String why) {
    return new UsageException("--ignore_paths '" + path + "' " + why);
  }
}
