package org.sentryml.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;

/**
 * Reads the small files a user names on the command line — keys, certificates, passwords,
 * signatures, trusted roots — with a size limit per kind, documented in README.md. A device, FIFO
 * or folder is refused before it is opened ({@code /dev/zero} would never end, a FIFO could block
 * forever), and a file over its limit is refused before it is read, so a wrong path costs neither
 * memory nor time. Stateless and thread-safe.
 */
public final class BoundedFiles {
  /** PEM keys and certificates (a long chain of certificates is a few tens of KiB). */
  public static final long MAX_PEM_BYTES = 1L << 20;

  /** Password files: only the first line is used. */
  public static final long MAX_PASSWORD_BYTES = 64L << 10;

  /** Signature files (Sigstore bundles and bare statements), and so their statements. */
  public static final long MAX_BUNDLE_BYTES = 64L << 20;

  /** Sigstore {@code trusted_root.json} files (the public-good root is about 10 KiB). */
  public static final long MAX_TRUSTED_ROOT_BYTES = 4L << 20;

  private BoundedFiles() {}

  /**
   * Reads all of {@code file}.
   *
   * @param what names the kind of file in messages, e.g. {@code "signature file"}
   * @throws PathException for anything but a regular file (links are followed), {@link
   *     MalformedInputException} for a file over {@code maxBytes}, the codes of {@link
   *     PathProblems} when it cannot be read
   */
  public static byte[] read(Path file, long maxBytes, String what) {
    checkRegularAndSize(file, maxBytes, what);
    try (InputStream in = Files.newInputStream(file)) {
      // One byte more than allowed tells a file that grew after the size check.
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw tooLarge(file, "more than " + maxBytes, maxBytes, what);
      }
      return bytes;
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }

  /**
   * Checks, without opening it, that {@code file} is a regular file of at most {@code maxBytes}.
   */
  public static void checkRegularAndSize(Path file, long maxBytes, String what) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
    if (!attributes.isRegularFile()) {
      throw new PathException(
          PathException.Kind.NOT_A_REGULAR_FILE,
          String.format(
              Locale.ROOT,
              "%s %s is not a regular file (%s)",
              what,
              file,
              attributes.isDirectory() ? "a folder" : "a FIFO, socket or device"));
    }
    if (attributes.size() > maxBytes) {
      throw tooLarge(file, Long.toString(attributes.size()), maxBytes, what);
    }
  }

  private static SentryException tooLarge(Path file, String size, long maxBytes, String what) {
    return new MalformedInputException(
        String.format(
            Locale.ROOT,
            "%s %s is %s bytes; a %s may be at most %d bytes",
            what,
            file,
            size,
            what,
            maxBytes));
  }
}
