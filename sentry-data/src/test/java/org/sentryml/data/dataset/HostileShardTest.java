package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * Shards built by hand to break the reader: members that no sample accounts for, sizes that lie or
 * overflow, data hidden where a tar parser does not look. Each is refused, naming the member.
 */
class HostileShardTest {
  @TempDir Path dir;

  @Test
  void memberAtTheArchiveRootIsAVerificationFailureNamingIt() throws IOException {
    Path shard =
        tar(List.of("train/00000000.png", "train/00000000.cls", "00000001.png", "00000001.cls"));
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(VerificationFailedException.class, e);
    assertTrue(
        e.getMessage().contains("00000001.png") && e.getMessage().contains(shard.toString()),
        e.getMessage());
  }

  @Test
  void memberWithAnUnknownExtensionIsAVerificationFailureNamingIt() throws IOException {
    Path shard = tar(List.of("train/00000000.png", "train/00000000.json", "train/00000000.cls"));
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(VerificationFailedException.class, e);
    assertTrue(e.getMessage().contains("train/00000000.json"), e.getMessage());
  }

  @Test
  void repeatedPayloadOfOneSampleIsRefusedNotOverwritten() throws IOException {
    Path shard = tar(List.of("train/00000000.png", "train/00000000.png", "train/00000000.cls"));
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("train/00000000"), e.getMessage());
  }

  @Test
  void memberHiddenAfterTheEndOfArchiveMarkerIsAVerificationFailure() throws IOException {
    Path shard = dir.resolve("padded.tar");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(Files.newOutputStream(shard), 10240)) {
      TestSamples.putMember(tar, "train/00000000.png", new byte[] {1});
      TestSamples.putMember(tar, "train/00000000.cls", "3".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] bytes = Files.readAllBytes(shard);
    assertEquals(10240, bytes.length);
    // GNU tar pads an archive to 10240-byte records: hide a member inside that padding, which a
    // tar parser skips without reading, and another after the archive.
    byte[] hidden = rawMember("train/00000009.png", new byte[] {1, 2, 3});
    int marker = indexOfEndMarker(bytes);
    System.arraycopy(hidden, 0, bytes, marker + 1024, hidden.length);
    Files.write(shard, bytes);
    SentryException inPadding =
        assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(VerificationFailedException.class, inPadding);
    assertTrue(
        inPadding.getMessage().contains("after its end-of-archive marker"), inPadding.getMessage());

    Path appended = tar(List.of("train/00000000.png", "train/00000000.cls"));
    Files.write(appended, hidden, java.nio.file.StandardOpenOption.APPEND);
    assertInstanceOf(
        VerificationFailedException.class,
        assertThrows(SentryException.class, () -> TestSamples.readAll(appended)));
  }

  @Test
  void archiveCutAtAMemberBoundaryIsTruncatedNotShorter() throws IOException {
    Path shard =
        tar(
            List.of(
                "train/00000000.png",
                "train/00000000.cls",
                "train/00000001.png",
                "train/00000001.cls"));
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, Arrays.copyOf(bytes, indexOfEndMarker(bytes)));
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("end-of-archive marker"), e.getMessage());
  }

  @Test
  void paxSizeOfTwoToTheSixtyThreeMinusOneIsRefusedBeforeAnythingIsAllocated() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(paxSize(Long.toString(Long.MAX_VALUE)));
    out.write(header("train/00000000.png", 0, '0'));
    out.write(new byte[4096]);
    Path shard = dir.resolve("huge.tar");
    Files.write(shard, out.toByteArray());
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(
        e.getMessage().contains("train/00000000.png")
            && e.getMessage().contains(Long.toString(Long.MAX_VALUE)),
        e.getMessage());
  }

  @Test
  void paxSizeBeyondSixtyFourBitsIsABadShard() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(paxSize("99999999999999999999"));
    out.write(header("train/00000000.png", 0, '0'));
    out.write(new byte[2048]);
    Path shard = dir.resolve("overflow.tar");
    Files.write(shard, out.toByteArray());
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(SentryException.class, () -> TestSamples.readAll(shard)));
  }

  @Test
  void octalSizeLargerThanTheFileIsABadShardNamingTheOffset() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header("train/00000000.png", 07777777L, '0'));
    out.write(new byte[2048]);
    Path shard = dir.resolve("lying.tar");
    Files.write(shard, out.toByteArray());
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("offset 512"), e.getMessage());
  }

  @Test
  void labelMemberLongerThanAnyClassIndexIsRefusedBeforeItIsRead() throws IOException {
    Path shard = dir.resolve("label.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(shard))) {
      TestSamples.putMember(tar, "train/00000000.png", new byte[] {1});
      TestSamples.putMember(
          tar, "train/00000000.cls", "1".repeat(64).getBytes(StandardCharsets.US_ASCII));
    }
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("64 bytes"), e.getMessage());
  }

  @Test
  void sparseMemberIsRefused() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header("train/00000000.png", 8, 'S'));
    out.write(new byte[512 + 1024]);
    Path shard = dir.resolve("sparse.tar");
    Files.write(shard, out.toByteArray());
    SentryException e = assertThrows(SentryException.class, () -> TestSamples.readAll(shard));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("not a plain regular file"), e.getMessage());
  }

  private Path tar(List<String> members) throws IOException {
    Path shard = Files.createTempFile(dir, "shard", ".tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(shard))) {
      for (String member : members) {
        TestSamples.putMember(
            tar,
            member,
            member.endsWith(".cls")
                ? "3".getBytes(StandardCharsets.US_ASCII)
                : new byte[] {9, 8, 7});
      }
    }
    return shard;
  }

  /** The offset of the first of the two zero blocks that end the archive. */
  private static int indexOfEndMarker(byte[] tar) {
    for (int at = 0; at + 1024 <= tar.length; at += 512) {
      boolean zero = true;
      for (int i = at; i < at + 1024 && zero; i++) {
        zero = tar[i] == 0;
      }
      if (zero) {
        return at;
      }
    }
    throw new IllegalStateException("no end marker");
  }

  private static byte[] rawMember(String name, byte[] content) {
    byte[] member = new byte[512 + 512];
    System.arraycopy(header(name, content.length, '0'), 0, member, 0, 512);
    System.arraycopy(content, 0, member, 512, content.length);
    return member;
  }

  /** A PAX extended header block pair that sets the next member's size to {@code size}. */
  private static byte[] paxSize(String size) {
    String record = " size=" + size + "\n";
    String line = (record.length() + Integer.toString(record.length()).length()) + record;
    byte[] data = line.getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[1024];
    System.arraycopy(header("././@PaxHeader", data.length, 'x'), 0, block, 0, 512);
    System.arraycopy(data, 0, block, 512, data.length);
    return block;
  }

  /** A ustar header with an octal size field and a valid checksum. */
  private static byte[] header(String name, long size, char type) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    put(h, 124, String.format(Locale.ROOT, "%011o\0", size));
    put(h, 136, "00000000000\0");
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format(Locale.ROOT, "%06o\0 ", sum));
    return h;
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
