package org.sentryml.data.dataset;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathProblems;

/**
 * Writes one source's samples as a WebDataset tar shard: per sample a {@code <key>.<ext>} member
 * with the payload and a {@code <key>.cls} member with the label in ASCII decimal, adjacent and in
 * that order. Headers are fixed (mode 0644, owner 0, time 0) so equal samples give equal shards.
 *
 * <p>The file is created new (an existing one is never overwritten) and holds no descriptor between
 * appends ({@link AppendBuffers}); it is complete and on disk after {@link #finish()}, and {@link
 * #close()} without it deletes the file. Atomicity comes from the folder around it: {@link
 * DatasetWriter} writes shards into a staged folder that is renamed into place last. Not
 * thread-safe.
 */
public final class ShardWriter implements AutoCloseable {
  private final Path shard;
  private final AppendBuffers.Output output;
  private final TarArchiveOutputStream tar;
  private long samples;
  private boolean finished;

  /** A shard on its own, with its own memory for pending bytes. */
  public ShardWriter(Path shard) {
    this(shard, new AppendBuffers(AppendBuffers.DEFAULT_LIMIT));
  }

  ShardWriter(Path shard, AppendBuffers buffers) {
    this.shard = shard;
    try {
      this.output = buffers.create(shard);
    } catch (FileAlreadyExistsException e) {
      throw new IoFailureException(
          "shard " + shard + " already exists; a shard is only written new", e);
    } catch (IOException e) {
      throw PathProblems.classify(shard, e);
    }
    this.tar = new TarArchiveOutputStream(output);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public void write(Sample sample) {
    try {
      member(sample.key() + "." + sample.kind().extension(), sample.data());
      member(sample.key() + ".cls", sample.labelBytes());
      samples++;
    } catch (IOException e) {
      throw PathProblems.classify(shard, e);
    }
  }

  public long samples() {
    return samples;
  }

  /** Ends the archive and forces the whole file to disk. */
  public void finish() {
    try {
      tar.finish();
      output.force();
      finished = true;
    } catch (IOException e) {
      throw PathProblems.classify(shard, e);
    }
  }

  @Override
  public void close() {
    if (!finished) {
      try {
        Files.deleteIfExists(shard);
      } catch (IOException ignored) {
        // The write already failed or was abandoned; the staged folder around it is deleted too.
      }
    }
  }

  private void member(String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.length);
    entry.setMode(0100644);
    entry.setModTime(0);
    entry.setIds(0, 0);
    entry.setNames("", "");
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
