package org.sentryml.confidential.broker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.AtomicFile;

/**
 * The key server's audit log: one JSON line per decision, appended, each carrying its sequence
 * number, its time and the SHA-256 of the line before it ({@code prev}), written with one {@code
 * write} and forced to the disk before the decision takes effect (so a process killed at any point
 * leaves whole lines only). Opening an existing log verifies its chain first and continues it; a
 * broken log is refused, not extended. Nothing secret is ever given to it: callers pass claims, ids
 * and reasons, never keys, nonces or session ids. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final Clock clock;
  private long seq;
  private String prev;
  private boolean failed;

  private AuditLog(Path file, FileChannel channel, Clock clock, long seq, String prev) {
    this.file = file;
    this.channel = channel;
    this.clock = clock;
    this.seq = seq;
    this.prev = prev;
  }

  /**
   * Opens (or creates, mode 0600) the log {@code file}.
   *
   * @throws org.sentryml.core.errors.VerificationFailedException when the existing log's chain is
   *     broken
   */
  public static AuditLog open(Path file, Clock clock) {
    AuditVerifier.Result existing =
        Files.exists(file, LinkOption.NOFOLLOW_LINKS)
            ? AuditVerifier.verify(file)
            : new AuditVerifier.Result(0, AuditChain.GENESIS);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel channel =
          FileChannel.open(
              file,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(AtomicFile.OWNER_ONLY));
      return new AuditLog(file, channel, clock, existing.lines(), existing.head());
    } catch (IOException e) {
      throw PathProblems.classifyWrite(file, e);
    }
  }

  /** The log's file. */
  public Path file() {
    return file;
  }

  /**
   * Appends one line: {@code seq}, {@code time}, {@code prev}, then {@code fields} in order.
   *
   * @throws IoFailureException when the line cannot be written and forced: the caller must then
   *     refuse what it was about to allow
   */
  public synchronized void append(JsonObject fields) {
    if (failed) {
      throw new IoFailureException(
          file, "the audit log " + file + " failed earlier; no decision is taken without it", null);
    }
    JsonObject line = new JsonObject();
    line.addProperty("seq", seq + 1);
    line.addProperty("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    line.addProperty("prev", prev);
    for (Map.Entry<String, JsonElement> field : fields.entrySet()) {
      line.add(field.getKey(), field.getValue());
    }
    byte[] text = Messages.bytes(line);
    ByteBuffer buffer = ByteBuffer.allocate(text.length + 1).put(text).put((byte) '\n').flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      // A line may be half written: appending after it would hide the tear in a valid-looking
      // chain.
      failed = true;
      throw new IoFailureException(file, "cannot append to the audit log " + file, e);
    }
    seq++;
    prev = AuditChain.hash(text, text.length);
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new IoFailureException(file, "cannot close the audit log " + file, e);
    }
  }
}
