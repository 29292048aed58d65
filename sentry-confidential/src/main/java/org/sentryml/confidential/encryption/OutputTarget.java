package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.OutputGuard;

/**
 * The checks on {@code --out} before encrypting or decrypting into it: never inside the input (the
 * staging folder would become part of what is read), never a folder whose replacement destroys more
 * than an earlier output ({@link OutputGuard}), and never an existing path without {@code replace}.
 * Stateless.
 */
final class OutputTarget {
  private OutputTarget() {}

  /**
   * @param inputs what the run reads (the artifact, the key store)
   * @throws UsageException naming {@code --out} and why it is refused
   */
  static void check(Path out, Path input, List<Path> inputs, boolean replace) {
    if (real(out).startsWith(real(input))) {
      throw new UsageException(
          "--out " + out + " lies inside the input " + input + "; write it elsewhere");
    }
    OutputGuard.refuseUnsafe(out, "--out", inputs);
    if (!replace && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          "refusing to replace existing --out " + out + "; pass --force to replace it");
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
}
