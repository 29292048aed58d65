package org.sentryml.core.hashing;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.io.BundledLibrary;

/**
 * SHA-256 Merkle leaves and subtrees from the optional native library {@code libsentrycpu}
 * (native/cpu), which hashes two leaves at once with the x86 SHA extensions. Its digests are
 * bit-identical to the JDK's; callers check {@link #available()} and fall back to {@link
 * HashAlgorithm#SHA256}.
 *
 * <p>The library is taken from the file named by the system property {@code sentry.native.lib} when
 * set, else extracted from this jar to a private temporary file. {@code -Dsentry.native=false}
 * disables it.
 */
public final class NativeSha256 {
  private static final String RESOURCE = "/native/linux-x86_64/libsentrycpu.so";
  private static final String UNAVAILABLE_REASON;

  static {
    UNAVAILABLE_REASON = load();
  }

  private NativeSha256() {}

  /** Whether the native leaf hasher can be used on this machine. */
  public static boolean available() {
    return UNAVAILABLE_REASON == null;
  }

  /** Why {@link #available()} is false, or null. */
  public static String unavailableReason() {
    return UNAVAILABLE_REASON;
  }

  /**
   * Hashes each {@code leafSize} leaf of {@code buffer[offset, offset + length)} (the last may be
   * short) as {@code H(0x00 ‖ leaf)} and reduces the leaves to the roots of the RFC 6962 perfect
   * subtrees covering them, largest first (one per set bit of the leaf count), written to the start
   * of {@code out}, 32 bytes each.
   *
   * @param out scratch space for one digest per leaf
   * @return the number of roots written
   */
  public static int subtreeRoots(
      ByteBuffer buffer, int offset, int length, int leafSize, byte[] out) {
    Objects.checkFromIndexSize(offset, length, buffer.capacity());
    if (!buffer.isDirect() || leafSize <= 0) {
      throw new IllegalArgumentException("a direct buffer and a positive leaf size are required");
    }
    long leaves = (length + (long) leafSize - 1) / leafSize;
    if (out.length < leaves * 32) {
      throw new IllegalArgumentException(
          "output holds " + out.length / 32 + " digests, not " + leaves);
    }
    if (!available()) {
      throw new IllegalStateException("native SHA-256 unavailable: " + UNAVAILABLE_REASON);
    }
    if (length == 0) {
      return 0;
    }
    return subtreeRoots(buffer, offset, (long) length, leafSize, out);
  }

  /** What {@link #subtreeRootsOfFile} found when it could not hash the window. */
  public enum FileWindow {
    /** The file is shorter than the window. */
    SHORTER(-2),
    /** The file was truncated while the window was being hashed (caught, not a crash). */
    TRUNCATED(-4),
    /** The file could not be opened or mapped: read it instead. */
    NOT_MAPPED(-3);

    /** What the native function returns for it. */
    private final int result;

    FileWindow(int result) {
      this.result = result;
    }

    /** The failure a negative result of {@link #subtreeRootsOfFile} stands for, if it is one. */
    public static java.util.Optional<FileWindow> of(int result) {
      for (FileWindow failure : values()) {
        if (failure.result == result) {
          return java.util.Optional.of(failure);
        }
      }
      return java.util.Optional.empty();
    }
  }

  /**
   * As {@link #subtreeRoots}, for bytes {@code [offset, offset + length)} of {@code file}, hashed
   * straight from the page cache through a read-only mapping instead of a copy. A file truncated
   * while it is hashed is reported ({@link FileWindow#SHORTER}), never a crash: the native code
   * guards the mapping against SIGBUS ({@link FileWindow#TRUNCATED}).
   *
   * @return the number of roots, or a negative result that {@link FileWindow#of} names
   */
  public static int subtreeRootsOfFile(
      Path file, long offset, int length, int leafSize, byte[] out) {
    if (offset < 0 || length < 0 || leafSize <= 0) {
      throw new IllegalArgumentException(
          "a non-negative window and a positive leaf size are required");
    }
    long leaves = (length + (long) leafSize - 1) / leafSize;
    if (out.length < leaves * 32) {
      throw new IllegalArgumentException(
          "output holds " + out.length / 32 + " digests, not " + leaves);
    }
    if (!available()) {
      throw new IllegalStateException("native SHA-256 unavailable: " + UNAVAILABLE_REASON);
    }
    return subtreeRootsOfFile(file.toString(), offset, length, leafSize, out);
  }

  /**
   * A read-only shared mapping of a span of a file, not yet populated, for {@link
   * #subtreeRootsOfSegment}: hashing many windows of one mapping costs one unmap instead of one per
   * window (each unmap interrupts every other CPU of the process to flush its TLB).
   *
   * @param address the mapped address of the span's first byte
   * @param length the bytes mapped from there: the span clipped to the file's size when mapped
   */
  public record Mapping(long address, long length, long base, long span) {}

  /**
   * Maps bytes {@code [offset, offset + length)} of {@code file} (clipped to its size), or returns
   * empty when it cannot be opened or mapped. The caller unmaps it with {@link #unmap} once no
   * thread uses it any more.
   */
  public static java.util.Optional<Mapping> map(Path file, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("a non-negative span is required");
    }
    if (!available()) {
      throw new IllegalStateException("native SHA-256 unavailable: " + UNAVAILABLE_REASON);
    }
    long[] out = new long[4];
    if (mapSegment(file.toString(), offset, length, out) != 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Mapping(out[0], out[1], out[2], out[3]));
  }

  /** Unmaps what {@link #map} mapped; no thread may be reading it. */
  public static void unmap(Mapping mapping) {
    unmapSegment(mapping.base(), mapping.span());
  }

  /**
   * As {@link #subtreeRoots}, for bytes {@code [from, from + length)} of a live mapping, populated
   * first in one call ({@code MADV_POPULATE_READ}). A file truncated under the mapping is reported
   * as {@link FileWindow#TRUNCATED}, never a crash.
   *
   * @param leaves when not null, receives every leaf digest (32 bytes each) as well
   * @return the number of roots, or a negative result that {@link FileWindow#of} names
   */
  public static int subtreeRootsOfSegment(
      Mapping mapping, long from, int length, int leafSize, byte[] out, byte @Nullable [] leaves) {
    Objects.checkFromIndexSize(from, length, mapping.length());
    if (leafSize <= 0) {
      throw new IllegalArgumentException("a positive leaf size is required");
    }
    long count = leavesCount(length, leafSize);
    if (out.length < count * 32) {
      throw new IllegalArgumentException(
          "output holds " + out.length / 32 + " digests, not " + count);
    }
    if (leaves != null && leaves.length < count * 32) {
      throw new IllegalArgumentException("the leaf output is too small");
    }
    if (length == 0) {
      return 0;
    }
    return subtreeRootsOfSegment(mapping.address() + from, length, leafSize, out, leaves);
  }

  private static native int mapSegment(String path, long offset, long length, long[] out);

  private static native void unmapSegment(long base, long span);

  private static native int subtreeRootsOfSegment(
      long address, long length, int leafSize, byte[] out, byte @Nullable [] leaves);

  private static long leavesCount(long length, int leafSize) {
    return (length + leafSize - 1) / leafSize;
  }

  private static native boolean cpuSupported();

  private static native int subtreeRootsOfFile(
      String path, long offset, long length, int leafSize, byte[] out);

  private static native int subtreeRoots(
      ByteBuffer buffer, long offset, long length, int leafSize, byte[] out);

  private static String load() {
    if ("false".equals(System.getProperty("sentry.native"))) {
      return "disabled by -Dsentry.native=false";
    }
    String configured = System.getProperty("sentry.native.lib");
    Path override =
        configured != null && Files.isRegularFile(Path.of(configured)) ? Path.of(configured) : null;
    String failure = BundledLibrary.load(NativeSha256.class, RESOURCE, "libsentrycpu", override);
    if (failure != null) {
      return failure;
    }
    try {
      return cpuSupported() ? null : "this CPU lacks the SHA extensions";
    } catch (UnsatisfiedLinkError e) {
      return "cannot load libsentrycpu: " + e.getMessage();
    }
  }
}
