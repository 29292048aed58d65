package org.sentryml.confidential.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * Every change to an encrypted folder at rest is refused, naming the file: a flipped byte in any
 * segment, truncation at and inside a segment, appended bytes, two files swapped, a file from
 * another version, an edited header, a changed key id, another key.
 */
class TamperMatrixTest {
  private static final KeyId V1 = new KeyId(ArtifactKind.MODEL, "tamper", "1");
  private static final KeyId V2 = new KeyId(ArtifactKind.MODEL, "tamper", "2");
  private static final int SEGMENT = StreamingScheme.SEGMENT_SIZE;
  @TempDir Path dir;
  private final EphemeralKeys keys = new EphemeralKeys();
  private Path v1;
  private Path v2;
  private Path weights;

  @BeforeEach
  void encryptTwoVersions() throws Exception {
    Path plain = dir.resolve("plain");
    // weights.bin has four segments; a.bin and b.bin are of one size, so a swap passes the length
    // check.
    Plaintexts.write(
        plain.resolve("weights.bin"),
        Plaintexts.random(Plaintexts.FIRST + 2 * Plaintexts.NEXT + 777, 1));
    Plaintexts.write(plain.resolve("a.bin"), Plaintexts.random(5000, 2));
    Plaintexts.write(plain.resolve("b.bin"), Plaintexts.random(5000, 3));
    Plaintexts.write(plain.resolve("config.json"), "{}".getBytes(StandardCharsets.UTF_8));
    v1 = dir.resolve("v1");
    v2 = dir.resolve("v2");
    EncryptedFolderRoundTripTest.encryptFolder(plain, v1, V1, keys);
    EncryptedFolderRoundTripTest.encryptFolder(plain, v2, V2, keys);
    weights = v1.resolve("weights.bin");
  }

  /** Opens the folder and reads every file to its end, as a consumer would. */
  private void readAll(Path folder) throws IOException {
    EncryptedFolder opened = EncryptedFolder.open(folder, keys, V1);
    for (EncryptionHeader.FileEntry entry : opened.files()) {
      try (InputStream in = opened.newInputStream(entry.path())) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
  }

  private <T extends SentryException> T refused(Class<T> type, Path named) {
    T e = assertThrows(type, () -> readAll(v1));
    assertTrue(e.getMessage().contains(named.toString()), e.getMessage());
    return e;
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x01);
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
  }

  @Test
  void theUntouchedFolderReads() throws Exception {
    readAll(v1);
  }

  @ParameterizedTest
  @ValueSource(
      longs = {
        5,
        39,
        40,
        1000,
        SEGMENT - 1,
        SEGMENT,
        SEGMENT + 500_000,
        2L * SEGMENT + 17,
        3L * SEGMENT + 10
      })
  void aFlippedByteInAnySegmentFailsAuthentication(long offset) throws Exception {
    // Offsets: Tink's salt, its nonce prefix's last byte, segment 0's first ciphertext byte and its
    // tag, the first byte of segment 1, segments 1 and 2 inside, the last (short) segment.
    flip(weights, offset);
    refused(VerificationFailedException.class, weights);
  }

  @Test
  void theLastByteOfTheLastTagIsAuthenticatedToo() throws Exception {
    flip(weights, Files.size(weights) - 1);
    refused(VerificationFailedException.class, weights);
  }

  @ParameterizedTest
  @ValueSource(longs = {2L * SEGMENT, SEGMENT, SEGMENT + 500, 3L * SEGMENT + 1, 40})
  void aTruncatedFileIsRefusedByName(long size) throws Exception {
    truncate(weights, size);
    refused(VerificationFailedException.class, weights);
  }

  @Test
  void appendedBytesAreRefusedByName() throws Exception {
    Files.write(weights, new byte[] {0}, StandardOpenOption.APPEND);
    refused(VerificationFailedException.class, weights);
  }

  @Test
  void aWholeSegmentAppendedIsRefusedByName() throws Exception {
    byte[] segment = new byte[SEGMENT];
    try (RandomAccessFile raf = new RandomAccessFile(weights.toFile(), "r")) {
      raf.seek(SEGMENT);
      raf.readFully(segment);
    }
    Files.write(weights, segment, StandardOpenOption.APPEND);
    refused(VerificationFailedException.class, weights);
  }

  @Test
  void twoFilesOfOneSizeSwappedFailAuthentication() throws Exception {
    Path a = v1.resolve("a.bin");
    Path b = v1.resolve("b.bin");
    Path tmp = v1.resolve("tmp");
    Files.move(a, tmp);
    Files.move(b, a);
    Files.move(tmp, b);
    refused(VerificationFailedException.class, a);
  }

  @Test
  void twoFilesOfDifferentSizesSwappedAreRefusedByLength() throws Exception {
    Path config = v1.resolve("config.json");
    Path tmp = v1.resolve("tmp");
    Files.move(config, tmp);
    Files.move(weights, config);
    Files.move(tmp, weights);
    // Checked in canonical order, config.json (now four segments long) is the first that does not
    // fit.
    VerificationFailedException e = refused(VerificationFailedException.class, config);
    assertTrue(e.getMessage().contains("extended"), e.getMessage());
  }

  @Test
  void aFileFromAnotherVersionFailsAuthentication() throws Exception {
    Files.copy(v2.resolve("a.bin"), v1.resolve("a.bin"), StandardCopyOption.REPLACE_EXISTING);
    refused(VerificationFailedException.class, v1.resolve("a.bin"));
  }

  @Test
  void theHeaderOfAnotherVersionDoesNotSealThisFolder() throws Exception {
    // The whole v2 header names v2 and its key: the folder is then refused as not the one asked
    // for.
    Path header = v1.resolve(EncryptionHeader.FILE_NAME);
    Files.copy(v2.resolve(EncryptionHeader.FILE_NAME), header, StandardCopyOption.REPLACE_EXISTING);
    VerificationFailedException e =
        assertThrows(VerificationFailedException.class, () -> readAll(v1));
    assertTrue(
        e.getMessage().contains(v1.toString()) && e.getMessage().contains(V2.toString()),
        e.getMessage());
    // Asked for no particular artifact, the v2 header opens with v2's key, and the v1 files then
    // fail.
    EncryptedFolder opened = EncryptedFolder.open(v1, keys);
    assertThrows(
        VerificationFailedException.class, () -> opened.newInputStream("a.bin").readAllBytes());
  }

  @Test
  void aFileLeftOutOfTheHeaderBreaksItsSeal() throws Exception {
    Path header = v1.resolve(EncryptionHeader.FILE_NAME);
    String json = Files.readString(header);
    String edited = json.replaceAll("\\{\\s*\"path\": \"config.json\",\\s*\"size\": 2\\s*},?", "");
    assertTrue(!edited.equals(json));
    Files.writeString(header, edited.replace("},\n  ]", "}\n  ]"));
    Files.delete(v1.resolve("config.json"));
    refused(VerificationFailedException.class, header);
  }

  @Test
  void aSizeEditedToMatchATruncatedFileBreaksTheSeal() throws Exception {
    // Cut the last two segments and claim the plaintext ends there: the length check passes, the
    // seal does not.
    truncate(weights, 2L * SEGMENT);
    long claimed = Plaintexts.FIRST + Plaintexts.NEXT;
    Path header = v1.resolve(EncryptionHeader.FILE_NAME);
    String json = Files.readString(header);
    long original = Plaintexts.FIRST + 2L * Plaintexts.NEXT + 777;
    Files.writeString(header, json.replace("\"size\": " + original, "\"size\": " + claimed));
    refused(VerificationFailedException.class, header);
  }

  @Test
  void aReformattedHeaderStillOpens() throws Exception {
    Path header = v1.resolve(EncryptionHeader.FILE_NAME);
    Files.writeString(header, Files.readString(header).replaceAll("\\s+", ""));
    readAll(v1);
  }

  @Test
  void aKeyIdChangedAloneIsAMalformedHeader() throws Exception {
    Path header = v1.resolve(EncryptionHeader.FILE_NAME);
    Files.writeString(
        header,
        Files.readString(header)
            .replace("\"key_id\": \"" + V1 + "\"", "\"key_id\": \"" + V2 + "\""));
    MalformedInputException e =
        assertThrows(MalformedInputException.class, () -> EncryptedFolder.open(v1, keys));
    assertTrue(
        e.getMessage().contains(header.toString()) && e.getMessage().contains("version"),
        e.getMessage());
  }

  @Test
  void aKeyIdChangedWithItsVersionBreaksTheSealUnderThatKey() throws Exception {
    Path header = v1.resolve(EncryptionHeader.FILE_NAME);
    Files.writeString(
        header,
        Files.readString(header)
            .replace("\"key_id\": \"" + V1 + "\"", "\"key_id\": \"" + V2 + "\"")
            .replace("\"version\": \"1\"", "\"version\": \"2\""));
    VerificationFailedException e =
        assertThrows(VerificationFailedException.class, () -> EncryptedFolder.open(v1, keys));
    assertTrue(e.getMessage().contains(header.toString()), e.getMessage());
  }

  @Test
  void anotherKeyOfTheSameIdFailsAtTheHeader() {
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class, () -> EncryptedFolder.open(v1, new EphemeralKeys()));
    assertTrue(
        e.getMessage().contains(v1.resolve(EncryptionHeader.FILE_NAME).toString()), e.getMessage());
  }

  @Test
  void aMissingFileIsRefusedByName() throws Exception {
    Files.delete(v1.resolve("b.bin"));
    refused(VerificationFailedException.class, v1.resolve("b.bin"));
  }

  @Test
  void aListedFileThatIsALinkIsRefused() throws Exception {
    // Even to the right bytes: an encrypted folder holds its files itself, so that what was checked
    // is what is read.
    Path outside = Files.move(v1.resolve("a.bin"), dir.resolve("a.bin"));
    Files.createSymbolicLink(v1.resolve("a.bin"), outside);
    PathException e = assertThrows(PathException.class, () -> readAll(v1));
    assertEquals(PathException.Kind.SYMLINK_REFUSED, e.kind());
    assertTrue(e.getMessage().contains(v1.resolve("a.bin").toString()), e.getMessage());
  }

  @Test
  void aFileTheHeaderDoesNotListIsNotPartOfTheArtifact() throws Exception {
    Files.writeString(v1.resolve("model.sig"), "a signature of the encrypted folder");
    readAll(v1);
  }

  @Test
  void aCiphertextAuthenticatesOnlyUnderItsOwnArtifactVersionAndPath() throws Exception {
    byte[] plaintext = Plaintexts.random(10_000, 9);
    var aead = keys.streamingAead(V1);
    var ciphertext = new java.io.ByteArrayOutputStream();
    try (var out = aead.newEncryptingStream(ciphertext, AssociatedData.ofFile(V1, "a.bin"))) {
      out.write(plaintext);
    }
    byte[] bytes = ciphertext.toByteArray();
    try (var in =
        aead.newDecryptingStream(
            new java.io.ByteArrayInputStream(bytes), AssociatedData.ofFile(V1, "a.bin"))) {
      assertArrayEquals(plaintext, in.readAllBytes());
    }
    for (byte[] other :
        new byte[][] {
          AssociatedData.ofFile(V1, "b.bin"),
          AssociatedData.ofFile(V2, "a.bin"),
          AssociatedData.ofFile(new KeyId(ArtifactKind.MODEL, "other", "1"), "a.bin"),
          AssociatedData.ofFile(new KeyId(ArtifactKind.DATASET, "tamper", "1"), "a.bin")
        }) {
      assertThrows(
          IOException.class,
          () -> {
            try (var in =
                aead.newDecryptingStream(new java.io.ByteArrayInputStream(bytes), other)) {
              in.readAllBytes();
            }
          },
          new String(other, StandardCharsets.UTF_8));
    }
  }

  @Test
  void truncationAtASegmentBoundaryFailsInTinkWithoutTheLengthCheck() throws Exception {
    // The length check against the header refuses a cut file at once; this shows the scheme itself
    // would too (the last segment is marked as last), by stream and by seekable channel.
    byte[] cut = new byte[2 * SEGMENT];
    try (RandomAccessFile raf = new RandomAccessFile(weights.toFile(), "r")) {
      raf.readFully(cut);
    }
    var aead = keys.streamingAead(V1);
    byte[] ad = AssociatedData.ofFile(V1, "weights.bin");
    assertThrows(
        IOException.class,
        () -> {
          try (var in = aead.newDecryptingStream(new java.io.ByteArrayInputStream(cut), ad)) {
            in.readAllBytes();
          }
        });
    Path cutFile = Files.write(dir.resolve("cut"), cut);
    try (var channel = aead.newSeekableDecryptingChannel(Files.newByteChannel(cutFile), ad)) {
      channel.position(Plaintexts.FIRST + Plaintexts.NEXT - 10);
      assertThrows(IOException.class, () -> channel.read(java.nio.ByteBuffer.allocate(10)));
    }
  }

  @Test
  void aFailureNamesTheFileAndNeverTheKeyOrPlaintext() throws Exception {
    flip(weights, SEGMENT + 3);
    VerificationFailedException e = refused(VerificationFailedException.class, weights);
    assertEquals(
        "encrypted file "
            + weights
            + " fails authentication under key "
            + V1
            + ": it was changed, truncated or extended, or it belongs to another file, artifact or version",
        e.getMessage());
  }
}
