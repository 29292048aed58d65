package org.sentryml.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.sentryml.core.errors.PathProblems;

/**
 * A file that appears complete or not at all: written to a hidden temporary file beside the
 * target (same file system, so the rename is atomic), flushed to disk, then renamed over the
 * target. Closing without {@link #commit()} deletes the temporary file, so a failure or an
 * interrupted run never leaves a partial file under the target's name.
 *
 * <p>Not thread-safe.
 */
public final class AtomicFile implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream stream;
  private boolean committed;

  private AtomicFile(Path target, Path temp, FileChannel channel) {
    this.target = target;
    this.temp = temp;
    this.channel = channel;
    this.stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
  }

  /** Starts writing {@code target}; its folder is created if needed. */
  public static AtomicFile create(Path target) {
    Path absolute = target.toAbsolutePath();
    Path temp = null;
    try {
      Files.createDirectories(absolute.getParent());
      temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".part");
      return new AtomicFile(absolute, temp, FileChannel.open(temp, StandardOpenOption.WRITE));
    } catch (IOException e) {
      deleteQuietly(temp);
      throw PathProblems.classify(absolute, e);
    }
  }

  /** Writes {@code contents} to {@code target} atomically, replacing any previous file. */
  public static void write(Path target, byte[] contents) {
    try (AtomicFile file = create(target)) {
      file.stream().write(contents);
      file.commit();
    } catch (IOException e) {
      throw PathProblems.classify(target, e);
    }
  }

  /** The stream to write the contents to (buffered; do not close it, commit or close this). */
  public OutputStream stream() {
    return stream;
  }

  public Path target() {
    return target;
  }

  /** Flushes, forces the bytes to disk and renames the file into place. */
  public void commit() {
    try {
      stream.flush();
      channel.force(true);
      channel.close();
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      committed = true;
    } catch (IOException e) {
      throw PathProblems.classify(target, e);
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
