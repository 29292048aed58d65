package org.sentryml.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.testkit.TestFiles;

class ModelWalkerTest {
  @TempDir Path dir;

  private static List<String> names(List<ModelFile> files) {
    return files.stream().map(ModelFile::name).toList();
  }

  private static PathException.Kind failure(ModelWalker walker, Path model) {
    return assertThrows(PathException.class, () -> walker.list(model)).kind();
  }

  @Test
  void defaultIgnoresLeaveOutGitFilesAndExtraPaths() {
    Path model = dir.resolve("m");
    for (String name :
        List.of(
            "w.bin",
            ".git/HEAD",
            ".gitattributes",
            ".github/x.yml",
            ".gitignore",
            "model.sig",
            "sub/.gitignore",
            "logs/a.txt")) {
      TestFiles.write(model.resolve(name), new byte[] {1});
    }
    ModelWalker walker =
        new ModelWalker(IgnoreRules.defaultsPlus(List.of("model.sig", "logs/")), false);
    assertEquals(List.of("sub/.gitignore", "w.bin"), names(walker.list(model)));
  }

  @Test
  void symlinksAreRefusedUnlessAllowed() throws Exception {
    Path model = dir.resolve("m");
    TestFiles.write(model.resolve("real.bin"), new byte[] {1});
    Files.createSymbolicLink(model.resolve("link.bin"), model.resolve("real.bin"));
    assertEquals(
        PathException.Kind.SYMLINK_REFUSED,
        failure(new ModelWalker(IgnoreRules.none(), false), model));
    List<ModelFile> files = new ModelWalker(IgnoreRules.none(), true).list(model);
    assertEquals(List.of("link.bin", "real.bin"), names(files));
  }

  @Test
  void allowedSymlinkStillNeverLeavesTheModelFolder() throws Exception {
    Path outside = TestFiles.write(dir.resolve("secret.txt"), new byte[] {42});
    Path model = dir.resolve("m");
    Files.createDirectories(model);
    Files.createSymbolicLink(model.resolve("escape"), outside);
    SentryException e =
        assertThrows(
            SentryException.class, () -> new ModelWalker(IgnoreRules.none(), true).list(model));
    assertEquals(
        PathException.Kind.SYMLINK_REFUSED, assertInstanceOf(PathException.class, e).kind());
    assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
  }

  @Test
  void symlinkLoopIsReported() throws Exception {
    Path model = dir.resolve("m");
    Files.createDirectories(model.resolve("a"));
    Files.createSymbolicLink(model.resolve("a/back"), model);
    assertEquals(
        PathException.Kind.SYMLINK_REFUSED,
        failure(new ModelWalker(IgnoreRules.none(), true), model));
    Path self = dir.resolve("self");
    Files.createSymbolicLink(self, self);
    assertEquals(
        PathException.Kind.SYMLINK_REFUSED,
        failure(new ModelWalker(IgnoreRules.none(), true), self));
  }

  @Test
  void fifoIsNotARegularFile() throws Exception {
    Path model = dir.resolve("m");
    Files.createDirectories(model);
    Path fifo = model.resolve("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    assertEquals(
        PathException.Kind.NOT_A_REGULAR_FILE,
        failure(new ModelWalker(IgnoreRules.none(), false), model));
    assertEquals(
        PathException.Kind.NOT_A_REGULAR_FILE,
        failure(new ModelWalker(IgnoreRules.none(), false), fifo));
  }

  @Test
  void missingPathIsReported() {
    assertEquals(
        PathException.Kind.NOT_FOUND,
        failure(new ModelWalker(IgnoreRules.none(), false), dir.resolve("nope")));
  }
}
