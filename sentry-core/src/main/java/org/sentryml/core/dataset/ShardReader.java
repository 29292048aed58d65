package org.sentryml.core.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;

/**
 * Reads a WebDataset tar shard back into samples, one sequential pass, grouping adjacent members
 * that share a key ({@code train/00000042.png} and {@code train/00000042.cls}). A member with an
 * unknown extension, a key without its label or payload, or a damaged archive is a bad shard
 * (exit 3) named by file and member. Not thread-safe.
 */
public final class ShardReader implements Iterator<Sample>, AutoCloseable {
  private final Path shard;
  private final TarArchiveInputStream tar;
  private TarArchiveEntry pending;
  private Sample next;

  public ShardReader(Path shard) {
    this.shard = shard;
    try {
      InputStream in = new BufferedInputStream(Files.newInputStream(shard), 1 << 16);
      this.tar = new TarArchiveInputStream(in);
      this.pending = nextEntry();
    } catch (IOException e) {
      throw PathProblems.classify(shard, e);
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
    try {
      while (pending != null && keyOf(pending.getName()).equals(key)) {
        String extension = pending.getName().substring(key.length() + 1);
        byte[] content = tar.readAllBytes();
        if (extension.equals("cls")) {
          label = parseLabel(content, pending.getName());
        } else {
          kind = kindOf(extension, pending.getName());
          payload = content;
        }
        pending = nextEntry();
      }
    } catch (IOException e) {
      throw bad("cannot read member " + key + ": " + e.getMessage());
    }
    if (payload == null || label == null) {
      throw bad("sample " + key + " lacks its " + (label == null ? ".cls label" : "payload") + " member");
    }
    try {
      return new Sample(key, label, payload, kind);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private TarArchiveEntry nextEntry() throws IOException {
    TarArchiveEntry entry;
    try {
      entry = tar.getNextEntry();
    } catch (IOException e) {
      throw bad("damaged tar archive: " + e.getMessage());
    }
    if (entry != null && !entry.isFile()) {
      throw bad("member " + entry.getName() + " is not a regular file");
    }
    return entry;
  }

  private String keyOf(String member) {
    int slash = member.lastIndexOf('/');
    int dot = member.indexOf('.', slash + 1);
    if (dot <= slash + 1) {
      throw bad("member " + member + " has no <key>.<extension> name");
    }
    return member.substring(0, dot);
  }

  private SampleKind kindOf(String extension, String member) {
    for (SampleKind kind : SampleKind.values()) {
      if (kind.extension().equals(extension)) {
        return kind;
      }
    }
    throw bad("member " + member + " has an unknown extension (expected .cls, .png or .txt)");
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
    return new SentryException(ExitCode.BAD_INPUT, "bad shard " + shard + ": " + message);
  }
}
