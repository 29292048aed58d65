package org.sentryml.data.dataset;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
  /** Where the archive's bytes go, and how they are made durable or given up. */
  private interface Sink {
    OutputStream stream();

    /** After the archive's last byte: the bytes are complete and on disk. */
    void complete() throws IOException;

    /** Without {@link #complete()}: nothing written may remain or look complete. */
    void discard() throws IOException;
  }

  private final Path shard;
  private final Sink sink;
  private final TarArchiveOutputStream tar;
  private long samples;
  private boolean finished;

  /** A shard on its own, with its own memory for pending bytes. */
  public ShardWriter(Path shard) {
    this(shard, new AppendBuffers(AppendBuffers.DEFAULT_LIMIT));
  }

  ShardWriter(Path shard, AppendBuffers buffers) {
    this(shard, fileSink(shard, buffers));
  }

  /**
   * A shard written into {@code stream}, which {@link #finish()} closes: an encrypting stream that
   * writes its last segment and forces the file when closed. Without {@link #finish()} the stream
   * is left open, for its owner to abandon. {@code shard} names it in messages.
   */
  ShardWriter(Path shard, OutputStream stream) {
    this(
        shard,
        new Sink() {
          @Override
          public OutputStream stream() {
            return stream;
          }

          @Override
          public void complete() throws IOException {
            stream.close();
          }

          @Override
          public void discard() {
            // The owner of the stream abandons it (see the constructor).
          }
        });
  }

  private ShardWriter(Path shard, Sink sink) {
    this.shard = shard;
    this.sink = sink;
    this.tar = new TarArchiveOutputStream(new NonClosing(sink.stream()));
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
      sink.complete();
      finished = true;
    } catch (IOException e) {
      throw PathProblems.classify(shard, e);
    }
  }

  @Override
  public void close() {
    if (!finished) {
      try {
        sink.discard();
      } catch (IOException ignored) {
        // The write already failed or was abandoned; the staged folder around it is deleted too.
      }
    }
  }

  private static Sink fileSink(Path shard, AppendBuffers buffers) {
    AppendBuffers.Output output;
    try {
      output = buffers.create(shard);
    } catch (FileAlreadyExistsException e) {
      throw new IoFailureException(
          "shard " + shard + " already exists; a shard is only written new", e);
    } catch (IOException e) {
      throw PathProblems.classify(shard, e);
    }
    return new Sink() {
      @Override
      public OutputStream stream() {
        return output;
      }

      @Override
      public void complete() throws IOException {
        output.force();
      }

      @Override
      public void discard() throws IOException {
        Files.deleteIfExists(shard);
      }
    };
  }

  /** The tar stream never closes the sink's stream: {@link Sink#complete()} decides. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      flush();
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
