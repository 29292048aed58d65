package org.sentryml.core.dataset;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.AtomicFile;

/**
 * Writes one source's samples as a WebDataset tar shard: per sample a {@code <key>.<ext>} member
 * with the payload and a {@code <key>.cls} member with the label in ASCII decimal, adjacent and in
 * that order. Headers are fixed (mode 0644, owner 0, time 0) so equal samples give equal shards.
 *
 * <p>The shard appears under its name only on {@link #finish()}; until then it is a hidden
 * temporary file that {@link #close()} removes (DESIGN: never a half-written shard that looks
 * complete). Not thread-safe.
 */
public final class ShardWriter implements AutoCloseable {
  private final AtomicFile file;
  private final TarArchiveOutputStream tar;
  private long samples;

  public ShardWriter(Path shard) {
    this.file = AtomicFile.create(shard);
    this.tar = new TarArchiveOutputStream(file.stream());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public void write(Sample sample) {
    try {
      member(sample.key() + "." + sample.kind().extension(), sample.data());
      member(sample.key() + ".cls", sample.labelBytes());
      samples++;
    } catch (IOException e) {
      throw PathProblems.classify(file.target(), e);
    }
  }

  public long samples() {
    return samples;
  }

  /** Ends the archive, forces it to disk and renames it into place. */
  public void finish() {
    try {
      tar.finish();
    } catch (IOException e) {
      throw PathProblems.classify(file.target(), e);
    }
    file.commit();
  }

  @Override
  public void close() {
    file.close();
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
