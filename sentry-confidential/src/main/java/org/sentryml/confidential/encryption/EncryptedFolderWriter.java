package org.sentryml.confidential.encryption;

import com.google.crypto.tink.StreamingAead;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;

/**
 * Writes an encrypted folder: every file a streaming-AEAD ciphertext under the artifact's data key,
 * bound to its path, and last the sealed header. The folder is normally a staging folder that the
 * caller renames into place after {@link #finish()} ({@code org.sentryml.core.io.StagedFolder}), so
 * an interrupted run never leaves a folder that looks complete: without the header it opens as
 * nothing.
 *
 * <p>Files come from plaintext files ({@link #encryptFile}, {@link #encryptFiles} on many threads)
 * or from a producer that streams them ({@link #newFile}: a dataset shard written sample by
 * sample), in any mix; each is written once. Each file is forced to disk when it is closed.
 *
 * <p>Thread-safe: files may be written from several threads at once; {@link #finish()} once, after
 * every file's stream is closed.
 */
public final class EncryptedFolderWriter implements AutoCloseable {
  private static final int BUFFER = 1 << 20;

  private final Path folder;
  private final KeyId keyId;
  private final EncryptionHeader.Layout layout;
  private final StreamingAead aead;
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> finished = new ConcurrentHashMap<>();
  private final Set<EncryptingFile> open = ConcurrentHashMap.newKeySet();
  private volatile boolean done;

  private EncryptedFolderWriter(
      Path folder, KeyId keyId, EncryptionHeader.Layout layout, StreamingAead aead) {
    this.folder = folder;
    this.keyId = keyId;
    this.layout = layout;
    this.aead = aead;
  }

  /**
   * Starts writing an encrypted artifact into {@code folder}, an existing folder without a header
   * (typically empty). The data key is fetched now, so a missing key fails before any work.
   *
   * @throws org.sentryml.core.errors.SentryException from {@code keys}, or a path problem of {@code
   *     folder}
   */
  public static EncryptedFolderWriter create(
      Path folder, KeyId keyId, DataKeys keys, EncryptionHeader.Layout layout) {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new PathException(
          PathException.Kind.NOT_A_REGULAR_FILE,
          folder,
          "cannot write an encrypted folder into " + folder + ": it is not a folder",
          null);
    }
    if (Files.exists(folder.resolve(EncryptionHeader.FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          "folder "
              + folder
              + " already holds "
              + EncryptionHeader.FILE_NAME
              + "; an encrypted folder is written once");
    }
    return new EncryptedFolderWriter(folder, keyId, layout, keys.streamingAead(keyId));
  }

  /**
   * A stream that encrypts what is written to it into the file {@code path} of the folder; its
   * {@link OutputStream#close()} writes the last segment, forces the file to disk and records its
   * plaintext size for the header. After a failed write, closing it abandons the file instead, and
   * {@link #finish()} refuses. A producer that fails on its own must not call {@link #finish()}:
   * the staging folder, with the partial file, is then discarded.
   *
   * @param path relative POSIX path, e.g. {@code source-00.tar}; folders are created as needed
   * @throws UsageException when {@code path} is not a valid relative path or was already written
   */
  public OutputStream newFile(String path) {
    return startFile(path);
  }

  private EncryptingFile startFile(String path) {
    checkOpen();
    RelativePaths.problem(path)
        .ifPresent(
            why -> {
              throw new UsageException("cannot encrypt a file as '" + path + "': the name " + why);
            });
    if (!started.add(path)) {
      throw new UsageException(
          "file '" + path + "' is written twice into encrypted folder " + folder);
    }
    Path target = folder.resolve(path);
    try {
      Files.createDirectories(target.getParent());
      FileChannel channel =
          FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        OutputStream ciphertext =
            aead.newEncryptingStream(
                new ForcedOnClose(channel), AssociatedData.ofFile(keyId, path));
        EncryptingFile file = new EncryptingFile(path, target, channel, ciphertext);
        open.add(file);
        return file;
      } catch (GeneralSecurityException | IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink refused to start an encrypting stream", e);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(target, e);
    }
  }

  /**
   * Encrypts the plaintext file {@code source} as {@code path}.
   *
   * @throws org.sentryml.core.errors.SentryException naming {@code source} when it cannot be read,
   *     or the ciphertext file when it cannot be written
   */
  public void encryptFile(Path source, String path) {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      StreamingScheme.warmUpFor(in.size());
      byte[] buffer = new byte[BUFFER];
      EncryptingFile out = startFile(path);
      try {
        for (int n = read(in, buffer, source); n > 0; n = read(in, buffer, source)) {
          out.write(buffer, 0, n);
        }
      } catch (RuntimeException e) {
        // Closing would write the last segment and make a partial file look complete.
        out.abandon();
        throw e;
      }
      out.close();
    } catch (IOException e) {
      throw PathProblems.classify(source, e);
    }
  }

  /**
   * Encrypts every {@code path → source} file on {@code threads} threads (the largest first, so
   * that one large file does not start last); a failure stops the others and is thrown as it was.
   */
  public void encryptFiles(Map<String, Path> sources, int threads) {
    List<Map.Entry<String, Path>> order = new ArrayList<>(sources.entrySet());
    order.sort(
        Comparator.comparingLong((Map.Entry<String, Path> e) -> sizeOf(e.getValue())).reversed());
    ParallelFiles.run(
        order, threads, "sentry-encrypt", file -> encryptFile(file.getValue(), file.getKey()));
  }

  /**
   * Writes the sealed header, after every file. The folder is then a complete encrypted artifact.
   *
   * @return the header written
   * @throws IllegalStateException when a file's stream is still open or no file was written
   */
  public EncryptionHeader finish() {
    checkOpen();
    if (!open.isEmpty() || finished.size() != started.size()) {
      throw new IllegalStateException(
          "finish() with " + (started.size() - finished.size()) + " file(s) not closed");
    }
    if (finished.isEmpty()) {
      throw new IllegalStateException("an encrypted artifact holds at least one file");
    }
    List<EncryptionHeader.FileEntry> files = new ArrayList<>();
    finished.forEach((path, size) -> files.add(new EncryptionHeader.FileEntry(path, size)));
    EncryptionHeader header = EncryptionHeader.sorted(keyId, layout, files);
    HeaderFile.write(folder, header, aead);
    done = true;
    return header;
  }

  /**
   * Abandons the streams still open (their files are left incomplete, for the caller's cleanup).
   */
  @Override
  public void close() {
    for (EncryptingFile file : open) {
      file.abandon();
    }
  }

  private void checkOpen() {
    if (done) {
      throw new IllegalStateException("encrypted folder " + folder + " is already finished");
    }
  }

  /** Fills {@code buffer} as far as the file goes: the bytes read, 0 at the end of the file. */
  private static int read(FileChannel in, byte[] buffer, Path source) {
    ByteBuffer target = ByteBuffer.wrap(buffer);
    try {
      while (target.hasRemaining() && in.read(target) >= 0) {
        // Whole buffers: fewer, larger writes into Tink's stream.
      }
    } catch (IOException e) {
      throw PathProblems.classify(source, e);
    }
    return target.position();
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }

  /** One file being encrypted: counts plaintext bytes, and on close records them. */
  private final class EncryptingFile extends OutputStream {
    private final String path;
    private final Path target;
    private final FileChannel channel;
    private final OutputStream ciphertext;
    private final byte[] one = new byte[1];
    private long plaintextBytes;
    private boolean closed;

    /** A write failed: the file is incomplete, and closing must not make it look whole. */
    private boolean failed;

    EncryptingFile(String path, Path target, FileChannel channel, OutputStream ciphertext) {
      this.path = path;
      this.target = target;
      this.channel = channel;
      this.ciphertext = ciphertext;
    }

    @Override
    public void write(int b) {
      one[0] = (byte) b;
      write(one, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      if (closed) {
        throw new IllegalStateException("file '" + path + "' is already closed");
      }
      try {
        ciphertext.write(bytes, offset, length);
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw e instanceof IOException io
            ? PathProblems.classifyWrite(target, io)
            : (RuntimeException) e;
      }
      plaintextBytes += length;
      StreamingScheme.warmUpFor(plaintextBytes);
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (failed) {
        abandon();
        return;
      }
      closed = true;
      try {
        ciphertext.close();
      } catch (IOException e) {
        abandon();
        throw PathProblems.classifyWrite(target, e);
      }
      finished.put(path, plaintextBytes);
      open.remove(this);
    }

    void abandon() {
      closed = true;
      try {
        channel.close();
      } catch (IOException ignored) {
        // The file is incomplete either way and never listed in a header.
      }
      open.remove(this);
    }
  }

  /** The ciphertext file under Tink's stream, which closes it: forced to disk before it closes. */
  private static final class ForcedOnClose extends OutputStream {
    private final FileChannel channel;
    private final OutputStream out;

    ForcedOnClose(FileChannel channel) {
      this.channel = channel;
      this.out = Channels.newOutputStream(channel);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      try {
        channel.force(true);
      } finally {
        out.close();
      }
    }
  }
}
