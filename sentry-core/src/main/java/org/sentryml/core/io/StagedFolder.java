package org.sentryml.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.sentryml.core.errors.PathProblems;

/**
 * A folder that appears complete or not at all: its contents are written into a hidden staging
 * folder beside the target, and {@link #commit()} renames them over the target (the old target, if
 * any, is moved away first and deleted). Closing without a commit deletes the staging folder, so a
 * failure leaves the target as it was.
 *
 * <p>Layout, in the target's parent folder:
 *
 * <pre>
 * .{name}.partial-{random}/
 *   lock          locked (FileChannel.lock) while the writing process lives
 *   new/{name}/   what is written; renamed to the target on commit
 *   old           the previous target, during the commit
 * </pre>
 *
 * <p>A run that is killed leaves its staging folder behind, unlocked: the operating system releases
 * the lock with the process. Every later {@link #create} for the same target deletes such stale
 * folders, and only those: a sibling is removed when its name is {@code .{name}.partial-*}, it is a
 * real folder holding a {@code lock} file, and that file can be locked, i.e. no live process (in
 * this JVM or another) writes into it.
 *
 * <p>Whether the target may be replaced at all is the caller's decision, made before creating this.
 * Not thread-safe.
 */
public final class StagedFolder implements AutoCloseable {
  private static final String LOCK = "lock";
  private static final String NEW = "new";
  private static final String OLD = "old";

  private final Path target;
  private final Path root;
  private final Path content;
  private final FileChannel lockChannel;
  private boolean committed;

  private StagedFolder(Path target, Path root, Path content, FileChannel lockChannel) {
    this.target = target;
    this.root = root;
    this.content = content;
    this.lockChannel = lockChannel;
  }

  /**
   * Removes stale staging folders of {@code target}, then stages a new one; the parent is created.
   */
  public static StagedFolder create(Path target) {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    String prefix = prefix(absolute);
    Path root = null;
    FileChannel channel = null;
    try {
      Files.createDirectories(parent);
      removeStale(parent, prefix);
      root = Files.createTempDirectory(parent, prefix);
      channel =
          FileChannel.open(
              root.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      channel.lock();
      Path content =
          Files.createDirectories(root.resolve(NEW).resolve(absolute.getFileName().toString()));
      return new StagedFolder(absolute, root, content, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      FileTrees.deleteQuietly(root);
      throw PathProblems.classify(parent, e);
    }
  }

  /** The folder to write into; it already has the target's name, for whoever records that name. */
  public Path folder() {
    return content;
  }

  public Path target() {
    return target;
  }

  /** Renames the written folder over the target, replacing (and deleting) any previous one. */
  public void commit() {
    Path old = root.resolve(OLD);
    boolean moved = false;
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        moved = true;
      }
      Files.move(content, target, StandardCopyOption.ATOMIC_MOVE);
      committed = true;
    } catch (IOException e) {
      if (moved) {
        restore(old);
      }
      throw PathProblems.classify(target, e);
    } finally {
      close();
    }
    AtomicFile.syncFolder(target.getParent());
  }

  /** Deletes the staging folder (and a replaced target) and releases the lock. Idempotent. */
  @Override
  public void close() {
    if (lockChannel.isOpen()) {
      FileTrees.deleteQuietly(root);
      closeQuietly(lockChannel);
    }
  }

  /** Whether {@link #commit()} succeeded. */
  public boolean committed() {
    return committed;
  }

  private void restore(Path old) {
    try {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException ignored) {
      // The rename that failed is the error to report; the old folder stays in the staging folder.
    }
  }

  private static String prefix(Path target) {
    return "." + target.getFileName() + ".partial-";
  }

  private static void removeStale(Path parent, String prefix) throws IOException {
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(
            parent, entry -> entry.getFileName().toString().startsWith(prefix))) {
      for (Path sibling : siblings) {
        Path lock = sibling.resolve(LOCK);
        if (Files.isDirectory(sibling, LinkOption.NOFOLLOW_LINKS)
            && Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
          removeIfUnlocked(sibling, lock);
        }
      }
    }
  }

  private static void removeIfUnlocked(Path staging, Path lock) {
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held != null) {
        FileTrees.deleteQuietly(staging);
      }
    } catch (OverlappingFileLockException inUseHere) {
      // Locked by another writer in this JVM: in use.
    } catch (IOException ignored) {
      // Cannot tell whether it is in use, so it stays.
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // Closing releases the lock; nothing is written through this channel.
    }
  }
}
