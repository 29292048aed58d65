package org.sentryml.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;

/**
 * A file that appears complete or not at all: written to a hidden temporary file beside the target
 * (same file system, so the rename is atomic), flushed to disk, then renamed over the target.
 * Closing without {@link #commit()} deletes the temporary file, so a failure or an interrupted run
 * never leaves a partial file under the target's name.
 *
 * <p>The temporary file is created readable by its owner only (so a secret is never exposed, even
 * half-written) and gets its final permissions just before the rename.
 *
 * <p>Not thread-safe.
 */
public final class AtomicFile implements AutoCloseable {
  /** rw-r--r--: signatures, shards, manifests, public keys. */
  public static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  /** rw-------: private keys. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path target;
  private final Set<PosixFilePermission> permissions;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream stream;
  private boolean committed;

  private AtomicFile(
      Path target, Path temp, FileChannel channel, Set<PosixFilePermission> permissions) {
    this.target = target;
    this.permissions = permissions;
    this.temp = temp;
    this.channel = channel;
    this.stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
  }

  /**
   * Starts writing {@code target} (final permissions {@link #PUBLIC}); its folder is created if
   * needed.
   */
  public static AtomicFile create(Path target) {
    return create(target, PUBLIC);
  }

  /**
   * Starts writing {@code target}, which gets {@code permissions} where the file system has them.
   */
  public static AtomicFile create(Path target, Set<PosixFilePermission> permissions) {
    Path absolute = target.toAbsolutePath();
    Path temp = null;
    try {
      Files.createDirectories(absolute.getParent());
      temp =
          posix(absolute.getParent())
              ? Files.createTempFile(
                  absolute.getParent(),
                  "." + absolute.getFileName() + ".",
                  ".part",
                  PosixFilePermissions.asFileAttribute(OWNER_ONLY))
              : Files.createTempFile(
                  absolute.getParent(), "." + absolute.getFileName() + ".", ".part");
      return new AtomicFile(
          absolute, temp, FileChannel.open(temp, StandardOpenOption.WRITE), permissions);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw PathProblems.classifyWrite(absolute, e);
    }
  }

  /** Writes {@code contents} to {@code target} atomically, replacing any previous file. */
  public static void write(Path target, byte[] contents) {
    try (AtomicFile file = create(target)) {
      file.stream().write(contents);
      file.commit();
    } catch (IOException e) {
      throw PathProblems.classifyWrite(target, e);
    }
  }

  /** The stream to write the contents to (buffered; do not close it, commit or close this). */
  public OutputStream stream() {
    return stream;
  }

  public Path target() {
    return target;
  }

  /** Flushes, forces the bytes to disk and renames the file into place, replacing any old one. */
  public void commit() {
    commit(true);
  }

  /**
   * As {@link #commit()}; with {@code replace} false an existing target is left alone and the
   * commit fails with {@link UsageException} (checked by creating the link itself, so no race).
   */
  public void commit(boolean replace) {
    seal();
    try {
      if (replace) {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        moveWithoutReplacing();
      }
      committed = true;
      syncFolder(target.getParent());
    } catch (FileAlreadyExistsException e) {
      throw new UsageException(
          String.format(
              Locale.ROOT, "refusing to overwrite existing %s; pass --force to replace it", target),
          e);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(target, e);
    }
  }

  /**
   * A hard link fails atomically when the target exists (rename would replace it, and a check
   * before the rename would race); where the file system has no hard links, a move that refuses an
   * existing target is the best left.
   */
  private void moveWithoutReplacing() throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.move(temp, target);
      return;
    }
    Files.delete(temp);
  }

  /**
   * Flushes the contents to disk and closes the temporary file, without renaming it yet: a sealed
   * file holds no descriptor, so many can wait for their {@link #commit()} together (a set of files
   * that replaces another set only once every file is written). Idempotent.
   */
  public void seal() {
    if (!channel.isOpen()) {
      return;
    }
    try {
      stream.flush();
      channel.force(true);
      channel.close();
      if (posix(temp.getParent())) {
        Files.setPosixFilePermissions(temp, permissions);
      }
    } catch (IOException e) {
      throw PathProblems.classifyWrite(target, e);
    }
  }

  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // The write already failed or was abandoned; deleting the temporary file is what matters.
    }
    deleteQuietly(temp);
  }

  private static boolean posix(Path folder) {
    return folder.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Makes a rename durable where the platform lets a folder be opened; best effort. */
  static void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Not every platform can open a folder; the file itself is already on disk.
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // Best effort: the original failure is the one to report.
    }
  }
}
