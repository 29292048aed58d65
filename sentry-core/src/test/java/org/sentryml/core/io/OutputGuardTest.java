package org.sentryml.core.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;

/**
 * The guard only refuses (it never deletes), so the real working and home folders are safe to name.
 */
class OutputGuardTest {
  @TempDir Path dir;

  @Test
  void rootWorkingFolderHomeAndTheirParentsAreRefused() {
    Path working = Path.of("").toAbsolutePath();
    Path home = Path.of(System.getProperty("user.home"));
    for (Path target :
        List.of(
            Path.of("/"),
            Path.of("."),
            Path.of(""),
            working,
            working.getParent(),
            working.resolve("sub/.."),
            home,
            home.getParent())) {
      SentryException e =
          assertThrows(
              SentryException.class,
              () -> OutputGuard.refuseUnsafe(target, "OUT", List.of()),
              target.toString());
      assertInstanceOf(UsageException.class, e);
      assertTrue(e.getMessage().contains("OUT"), e.getMessage());
    }
  }

  @Test
  void folderHoldingAnInputIsRefusedAlsoThroughALink() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Path cache = Files.createDirectories(out.resolve("cache"));
    assertThrows(SentryException.class, () -> OutputGuard.refuseUnsafe(out, "OUT", List.of(cache)));
    Path link = Files.createSymbolicLink(dir.resolve("link"), out);
    SentryException e =
        assertThrows(
            SentryException.class, () -> OutputGuard.refuseUnsafe(link, "OUT", List.of(cache)));
    assertTrue(e.getMessage().contains(cache.toString()), e.getMessage());
  }

  @Test
  void aFolderBesideTheInputsIsAccepted() throws IOException {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    assertDoesNotThrow(
        () ->
            OutputGuard.refuseUnsafe(
                dir.resolve("out"), "OUT", List.of(cache, dir.resolve("absent"))));
    assertDoesNotThrow(() -> OutputGuard.refuseUnsafe(dir.resolve("a/b/c"), "OUT", List.of(cache)));
  }
}
