package org.sentryml.data.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * Reads a WebDataset tar shard back into samples, one sequential pass, grouping adjacent members
 * that share a key ({@code train/00000042.png} and {@code train/00000042.cls}). Not thread-safe.
 *
 * <p>Every byte of the file is accounted for. A damaged archive (a member size beyond the file, a
 * truncated member, no end-of-archive marker), a member that is not a plain regular file, a label
 * that is not canonical decimal, a repeated member or a key without its label or payload is a bad
 * shard (exit 3). A well-formed member that belongs to no sample the signatures can cover — one at
 * the archive's root, outside any split folder, or with an unknown extension — and any data after
 * the end-of-archive marker are a verification failure (exit 1). Both name the file and the member;
 * a caller that skips samples must still account for theirs ({@link StreamingLoader}).
 */
public final class ShardReader implements Iterator<Sample>, AutoCloseable {
  /** A member is read into one array, so it holds at most this many bytes. */
  static final long MAX_MEMBER_BYTES = Integer.MAX_VALUE - 8;

  /** The canonical decimal of a class index has at most this many digits. */
  private static final int MAX_LABEL_BYTES = Integer.toString(Integer.MAX_VALUE).length();

  private static final int TAR_BLOCK = 512;

  /** A tar archive ends with two zero blocks. */
  private static final int END_MARKER = 2 * TAR_BLOCK;

  private final DatasetFiles files;
  private final String name;
  private final Path shard;
  private final long fileSize;
  private final TarArchiveInputStream tar;

  /** Where the data of the last member read ends, padded to a block: the next header's offset. */
  private long membersEnd;

  private TarArchiveEntry pending;
  private long pendingOffset;
  private Sample next;

  public ShardReader(Path shard) {
    this(DatasetFiles.clear(shard.toAbsolutePath().getParent()), shard.getFileName().toString());
  }

  /** Reads shard {@code name} of a dataset in clear or encrypted (decrypted as it streams). */
  public ShardReader(DatasetFiles files, String name) {
    this.files = files;
    this.name = name;
    this.shard = files.folder().resolve(name);
    this.fileSize = files.size(name);
    this.tar = new TarArchiveInputStream(new BufferedInputStream(files.open(name), 1 << 16));
    try {
      this.pending = nextEntry();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null && pending != null) {
      next = readSample();
    }
    return next != null;
  }

  @Override
  public Sample next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Sample sample = next;
    next = null;
    return sample;
  }

  /** The shard this reader reads, for messages. */
  public Path shard() {
    return shard;
  }

  @Override
  public void close() {
    try {
      tar.close();
    } catch (IOException ignored) {
      // Read-only: nothing is lost when closing fails.
    }
  }

  private Sample readSample() {
    String key = keyOf(pending.getName());
    byte[] payload = null;
    SampleKind kind = null;
    Integer label = null;
    while (pending != null && keyOf(pending.getName()).equals(key)) {
      String member = pending.getName();
      String extension = member.substring(key.length() + 1);
      if (extension.equals("cls")) {
        if (label != null) {
          throw bad("member " + member + " appears twice");
        }
        label = parseLabel(content(MAX_LABEL_BYTES), member);
      } else {
        SampleKind memberKind = kindOf(extension, member);
        if (payload != null) {
          throw bad(
              "sample "
                  + key
                  + " has two payload members ("
                  + key
                  + "."
                  + kind.extension()
                  + " and "
                  + member
                  + ")");
        }
        kind = memberKind;
        payload = content(MAX_MEMBER_BYTES);
      }
      pending = nextEntry();
    }
    if (payload == null || label == null) {
      throw bad(
          "sample " + key + " lacks its " + (label == null ? ".cls label" : "payload") + " member");
    }
    try {
      return new Sample(key, label, payload, kind);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  /**
   * The pending member's bytes. Its size, read from the file, is checked against what the file
   * still holds and against {@code limit} before anything is allocated.
   */
  private byte[] content(long limit) {
    String member = pending.getName();
    long size = pending.getSize();
    long left = fileSize - pendingOffset;
    if (size < 0 || size > left) {
      throw bad(
          String.format(
              Locale.ROOT,
              "member %s at offset %d claims %d bytes, but the file holds only %d more",
              member,
              pendingOffset,
              size,
              left));
    }
    if (size > limit) {
      throw bad(
          String.format(
              Locale.ROOT,
              "member %s holds %d bytes, more than the %d a member may hold",
              member,
              size,
              limit));
    }
    try {
      byte[] content = tar.readNBytes((int) size);
      if (content.length != size) {
        throw bad(
            String.format(
                Locale.ROOT,
                "member %s ends after %d of its %d bytes",
                member,
                content.length,
                size));
      }
      membersEnd = pendingOffset + roundUpToBlock(size);
      return content;
    } catch (IOException e) {
      throw bad(
          "cannot read member " + member + " at offset " + pendingOffset + ": " + e.getMessage());
    }
  }

  private TarArchiveEntry nextEntry() {
    TarArchiveEntry entry;
    try {
      entry = tar.getNextEntry();
    } catch (IOException e) {
      throw bad("damaged tar archive after offset " + membersEnd + ": " + e.getMessage());
    }
    if (entry == null) {
      checkEnd();
      return null;
    }
    if (!entry.isFile() || entry.isSparse()) {
      throw bad("member " + entry.getName() + " is not a plain regular file");
    }
    pendingOffset = tar.getBytesRead();
    return entry;
  }

  /**
   * Checks what follows the last member: the end-of-archive marker and nothing but zeros. The tar
   * parser skips the rest of its last block unread, so the bytes are read here, from the file.
   */
  private void checkEnd() {
    long tail = fileSize - membersEnd;
    if (tail < END_MARKER) {
      throw bad(
          "the archive stops at offset "
              + membersEnd
              + " without its end-of-archive marker (truncated?)");
    }
    try (SeekableByteChannel channel = files.channel(name)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      long at = membersEnd;
      channel.position(at);
      while (channel.read(buffer) > 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          if (buffer.get() != 0) {
            throw new VerificationFailedException(
                String.format(
                    Locale.ROOT,
                    "shard %s holds data after its end-of-archive marker (offset %d): bytes that belong to no member"
                        + " the signatures cover",
                    shard,
                    at + buffer.position() - 1));
          }
        }
        at += buffer.limit();
        buffer.clear();
      }
    } catch (IOException e) {
      throw PathProblems.classify(shard, e);
    }
  }

  private static long roundUpToBlock(long size) {
    // size <= the file's size < 2^63, so this neither overflows nor turns negative.
    long rest = size % TAR_BLOCK;
    return rest == 0 ? size : size + (TAR_BLOCK - rest);
  }

  private String keyOf(String member) {
    int slash = member.lastIndexOf('/');
    int dot = member.indexOf('.', slash + 1);
    if (dot <= slash + 1) {
      throw bad("member " + member + " has no <key>.<extension> name");
    }
    if (slash < 0) {
      throw unaccounted(member, "at the root of the archive, outside any split folder");
    }
    return member.substring(0, dot);
  }

  private SampleKind kindOf(String extension, String member) {
    for (SampleKind kind : SampleKind.values()) {
      if (kind.extension().equals(extension)) {
        return kind;
      }
    }
    throw unaccounted(member, "with an unknown extension (a sample has .cls and .png or .txt)");
  }

  private int parseLabel(byte[] content, String member) {
    // Strict: the label's bytes are canonical decimal, so what is hashed is what is stored.
    String text = new String(content, StandardCharsets.US_ASCII);
    try {
      int label = Integer.parseInt(text);
      if (label >= 0 && Integer.toString(label).equals(text)) {
        return label;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad("member " + member + " holds '" + text.strip() + "', not a class index in decimal");
  }

  private SentryException bad(String message) {
    return new MalformedInputException("bad shard " + shard + ": " + message);
  }

  private SentryException unaccounted(String member, String where) {
    return unaccounted(shard, member, where);
  }

  /** A member no signed sample accounts for: a verification failure naming shard and member. */
  static SentryException unaccounted(Path shard, String member, String where) {
    return new VerificationFailedException(
        "shard " + shard + " holds member " + member + " " + where + "; no signature covers it");
  }
}
