package org.sentryml.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Removal of temporary and staging folders. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes a folder (or file) and everything in it, never following symbolic links; best effort.
   * Callers only use it on folders of their own making (staging, temporary), where anything left
   * behind is hidden, never mistaken for output, and removed by the next run.
   */
  public static void deleteQuietly(@Nullable Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException ignored) {
      // Best effort, as documented: a leftover is harmless where these folders live.
    }
  }
}
