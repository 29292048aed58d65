package org.sentryml.confidential.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.UsageException;

/** What is encrypted decrypts to the same bytes, by every route the agents read by. */
class EncryptedFolderRoundTripTest {
  private static final KeyId MODEL = new KeyId(ArtifactKind.MODEL, "tiny", "1");
  private static final KeyId DATASET =
      new KeyId(ArtifactKind.DATASET, "mnist-subset", "2025-06-01");
  @TempDir Path dir;
  private final EphemeralKeys keys = new EphemeralKeys();

  static EncryptionHeader encryptFolder(Path plain, Path out, KeyId id, DataKeys keys)
      throws Exception {
    Files.createDirectories(out);
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(out, id, keys, EncryptionHeader.Layout.FOLDER)) {
      writer.encryptFiles(Plaintexts.files(plain), 4);
      return writer.finish();
    }
  }

  @Test
  void aModelFolderDecryptsFileByFileToItsPlaintext() throws Exception {
    Path plain = Plaintexts.model(dir.resolve("plain"));
    EncryptionHeader header = encryptFolder(plain, dir.resolve("enc"), MODEL, keys);
    EncryptedFolder folder = EncryptedFolder.open(dir.resolve("enc"), keys, MODEL);

    assertEquals(header, folder.header());
    assertEquals(
        List.of("config.json", "empty.bin", "tokenizer/vocab.txt", "weights.bin"),
        folder.files().stream().map(EncryptionHeader.FileEntry::path).toList());
    for (Map.Entry<String, Path> file : Plaintexts.files(plain).entrySet()) {
      byte[] expected = Files.readAllBytes(file.getValue());
      assertEquals(expected.length, folder.plaintextSize(file.getKey()));
      try (InputStream in = folder.newInputStream(file.getKey())) {
        assertArrayEquals(expected, in.readAllBytes(), file.getKey());
      }
    }
  }

  @Test
  void noPlaintextByteIsInClearOnDisk() throws Exception {
    Path plain = dir.resolve("plain");
    byte[] secret = "the secret weights 0123456789".getBytes(StandardCharsets.UTF_8);
    Plaintexts.write(plain.resolve("weights.bin"), secret);
    encryptFolder(plain, dir.resolve("enc"), MODEL, keys);
    for (Path file : Plaintexts.files(dir.resolve("enc")).values()) {
      String onDisk = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertFalse(onDisk.contains("secret weights"), file.toString());
    }
  }

  @Test
  void aSingleFileIsOneEntryOfLayoutFile() throws Exception {
    byte[] bytes = Plaintexts.random(3000, 7);
    Path file = Plaintexts.write(dir.resolve("model.bin"), bytes);
    Files.createDirectories(dir.resolve("enc"));
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(
            dir.resolve("enc"), MODEL, keys, EncryptionHeader.Layout.FILE)) {
      writer.encryptFile(file, "model.bin");
      writer.finish();
    }
    EncryptedFolder folder = EncryptedFolder.open(dir.resolve("enc"), keys);
    assertEquals(EncryptionHeader.Layout.FILE, folder.header().layout());
    try (InputStream in = folder.newInputStream("model.bin")) {
      assertArrayEquals(bytes, in.readAllBytes());
    }
  }

  @Test
  void aShardWrittenSampleBySampleStreamsBackSampleBySample() throws Exception {
    Path enc = Files.createDirectories(dir.resolve("enc"));
    List<byte[]> samples = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(enc, DATASET, keys, EncryptionHeader.Layout.FOLDER)) {
      try (OutputStream shard = writer.newFile("source-00.tar");
          TarArchiveOutputStream tar = new TarArchiveOutputStream(shard)) {
        for (int i = 0; i < 300; i++) {
          byte[] data = Plaintexts.random(1000 + random.nextInt(9000), i);
          samples.add(data);
          TarArchiveEntry entry =
              new TarArchiveEntry(String.format(Locale.ROOT, "train/%08d.png", i));
          entry.setSize(data.length);
          tar.putArchiveEntry(entry);
          tar.write(data);
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
      try (OutputStream index = writer.newFile("index.json")) {
        index.write("{}".getBytes(StandardCharsets.UTF_8));
      }
      writer.finish();
    }
    EncryptedFolder folder = EncryptedFolder.open(enc, keys, DATASET);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(folder.newInputStream("source-00.tar"))) {
      for (byte[] expected : samples) {
        assertTrue(tar.getNextEntry() != null);
        assertArrayEquals(expected, tar.readAllBytes());
      }
    }
  }

  @Test
  void theSeekableChannelReadsAnyRangeAsThePlaintextHasIt() throws Exception {
    Path plain = Plaintexts.model(dir.resolve("plain"));
    encryptFolder(plain, dir.resolve("enc"), MODEL, keys);
    byte[] expected = Files.readAllBytes(plain.resolve("weights.bin"));
    EncryptedFolder folder = EncryptedFolder.open(dir.resolve("enc"), keys);
    SplittableRandom random = new SplittableRandom(11);
    try (SeekableByteChannel channel = folder.newSeekableChannel("weights.bin")) {
      assertEquals(expected.length, channel.size());
      for (int i = 0; i < 50; i++) {
        int at = random.nextInt(expected.length);
        int length = Math.min(expected.length - at, 1 + random.nextInt(3 << 20));
        ByteBuffer range = ByteBuffer.allocate(length);
        channel.position(at);
        while (range.hasRemaining() && channel.read(range) >= 0) {
          // Reads may return less than asked for.
        }
        byte[] slice = new byte[length];
        System.arraycopy(expected, at, slice, 0, length);
        assertArrayEquals(slice, range.array(), "bytes [" + at + ", " + (at + length) + ")");
      }
    }
  }

  @Test
  void filesEncryptedOnManyThreadsEqualThoseEncryptedOnOne() throws Exception {
    Path plain = dir.resolve("plain");
    for (int i = 0; i < 12; i++) {
      Plaintexts.write(plain.resolve("part-" + i), Plaintexts.random(i * 150_001, i));
    }
    encryptFolder(plain, dir.resolve("enc"), DATASET, keys);
    EncryptedFolder folder = EncryptedFolder.open(dir.resolve("enc"), keys);
    assertEquals(12, folder.files().size());
    for (Map.Entry<String, Path> file : Plaintexts.files(plain).entrySet()) {
      try (InputStream in = folder.newInputStream(file.getKey())) {
        assertArrayEquals(Files.readAllBytes(file.getValue()), in.readAllBytes(), file.getKey());
      }
    }
  }

  @Test
  void aPathIsWrittenOnceAndMustStayInsideTheFolder() throws Exception {
    Path enc = Files.createDirectories(dir.resolve("enc"));
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(enc, MODEL, keys, EncryptionHeader.Layout.FOLDER)) {
      writer.newFile("a").close();
      assertThrows(UsageException.class, () -> writer.newFile("a"));
      for (String bad :
          List.of(
              "../x",
              "/etc/x",
              "a//b",
              "./a",
              "b/../a",
              "c:x",
              "a\\b",
              EncryptionHeader.FILE_NAME)) {
        assertThrows(UsageException.class, () -> writer.newFile(bad), bad);
      }
    }
  }

  @Test
  void anUnclosedFileKeepsTheHeaderFromBeingWritten() throws Exception {
    Path enc = Files.createDirectories(dir.resolve("enc"));
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(enc, MODEL, keys, EncryptionHeader.Layout.FOLDER)) {
      writer.newFile("done").close();
      writer.newFile("interrupted").write(1);
      assertThrows(IllegalStateException.class, writer::finish);
    }
    assertFalse(Files.exists(enc.resolve(EncryptionHeader.FILE_NAME)));
    assertThrows(PathException.class, () -> EncryptedFolder.open(enc, keys));
  }

  @Test
  void aFileTheFolderDoesNotHoldIsNotFound() throws Exception {
    encryptFolder(Plaintexts.model(dir.resolve("plain")), dir.resolve("enc"), MODEL, keys);
    EncryptedFolder folder = EncryptedFolder.open(dir.resolve("enc"), keys);
    PathException e = assertThrows(PathException.class, () -> folder.newInputStream("nope.bin"));
    assertEquals(PathException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("nope.bin"), e.getMessage());
  }
}
