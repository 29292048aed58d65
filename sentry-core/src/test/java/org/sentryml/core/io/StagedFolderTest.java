package org.sentryml.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFolderTest {
  @TempDir Path dir;

  @Test
  void commitReplacesTheTargetAndLeavesNothingBeside() throws IOException {
    Path target = dir.resolve("out");
    Files.createDirectories(target);
    Files.writeString(target.resolve("old.txt"), "old");
    try (StagedFolder staged = StagedFolder.create(target)) {
      assertEquals(
          "out", staged.folder().getFileName().toString(), "staged under the target's own name");
      Files.writeString(staged.folder().resolve("new.txt"), "new");
      staged.commit();
    }
    assertEquals(List.of("new.txt"), names(target));
    assertEquals(List.of("out"), names(dir));
  }

  @Test
  void closingWithoutCommitLeavesTheTargetAsItWas() throws IOException {
    Path target = dir.resolve("out");
    Files.createDirectories(target);
    Files.writeString(target.resolve("old.txt"), "old");
    try (StagedFolder staged = StagedFolder.create(target)) {
      Files.writeString(staged.folder().resolve("new.txt"), "new");
    }
    assertEquals(List.of("old.txt"), names(target));
    assertEquals(List.of("out"), names(dir));
  }

  @Test
  void stagingOfARunKilledWithSigkillIsRemovedByTheNextRun() throws Exception {
    Path target = dir.resolve("out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                StagingHolder.class.getName(),
                target.toString())
            .redirectErrorStream(true)
            .start();
    Path stale;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      stale = Path.of(lines.readLine());
      assertTrue(Files.isDirectory(stale), stale.toString());
      StagedFolder.create(target).close();
      assertTrue(Files.isDirectory(stale), "a live run's staging folder is left alone");
      holder.destroyForcibly();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(Files.isDirectory(stale), "a killed run leaves its staging folder");
    StagedFolder.create(target).close();
    assertFalse(
        Files.exists(stale.getParent().getParent()),
        "the next run removed the killed run's staging folder");
    assertEquals(List.of(), names(dir));
  }

  @Test
  void stagingLockedInThisProcessIsKept() throws IOException {
    Path target = dir.resolve("out");
    try (StagedFolder first = StagedFolder.create(target);
        StagedFolder second = StagedFolder.create(target)) {
      assertTrue(Files.isDirectory(first.folder()));
      assertTrue(Files.isDirectory(second.folder()));
    }
  }

  @Test
  void onlyFoldersThatAreRecognisablyStagingAreRemoved() throws IOException {
    Path target = dir.resolve("out");
    Path noLock = Files.createDirectories(dir.resolve(".out.partial-nolock"));
    Path otherTarget = Files.createDirectories(dir.resolve(".other.partial-x"));
    Files.createFile(otherTarget.resolve("lock"));
    Path link = Files.createSymbolicLink(dir.resolve(".out.partial-link"), otherTarget);
    Path unlocked = Files.createDirectories(dir.resolve(".out.partial-stale"));
    try (FileChannel lock =
        FileChannel.open(
            unlocked.resolve("lock"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      lock.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
    }
    StagedFolder.create(target).close();
    assertFalse(Files.exists(unlocked), "an unlocked staging folder of this target is stale");
    assertTrue(Files.isDirectory(noLock), "no lock file: not recognisably a staging folder");
    assertTrue(
        Files.isRegularFile(otherTarget.resolve("lock")), "another target's staging is not ours");
    assertTrue(Files.isSymbolicLink(link), "a link is never followed or removed");
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
