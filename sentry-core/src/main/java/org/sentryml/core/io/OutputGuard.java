package org.sentryml.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

/**
 * Refuses output folders that a command replaces as a whole ({@link StagedFolder}) when replacing
 * them would destroy more than the command's own earlier output: the file-system root, the working
 * folder or one above it, the home folder or one above it, and any folder that holds one of the
 * command's inputs (a cache, a mirror, a dataset). Paths are compared as real paths, so a symbolic
 * link or a {@code ..} does not hide what a folder is. Stateless.
 */
public final class OutputGuard {
  private OutputGuard() {}

  /**
   * Refuses {@code folder} as an output to replace when it is unsafe: the root, the working or home
   * folder or anything above them, or a folder that holds one of {@code inputs}.
   *
   * @param option how the user named the folder, for the message ({@code OUT_DIR}, {@code
   *     --model_path})
   * @param inputs files and folders the command reads; absent ones are ignored
   * @throws UsageException naming the folder and why it is refused
   */
  public static void refuseUnsafe(Path target, String option, Collection<Path> inputs) {
    Path folder = real(target);
    if (folder.getParent() == null) {
      throw refused(option, target, "it is the root of the file system");
    }
    if (real(Path.of("")).startsWith(folder)) {
      throw refused(option, target, "it is the working folder or holds it");
    }
    if (real(Path.of(System.getProperty("user.home"))).startsWith(folder)) {
      throw refused(option, target, "it is the home folder or holds it");
    }
    for (Path input : inputs) {
      if (Files.exists(input) && real(input).startsWith(folder)) {
        throw refused(option, target, "it holds " + input + ", which this run reads");
      }
    }
  }

  /** The real path of {@code path}, or of its nearest existing ancestor with the rest appended. */
  private static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute));
    } catch (IOException e) {
      return absolute;
    }
  }

  private static SentryException refused(String option, Path target, String why) {
    return new UsageException(
        "refusing to write "
            + option
            + " "
            + target
            + ": "
            + why
            + ", and the output folder is replaced as a whole");
  }
}
