package org.sentryml.confidential.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.manifest.SafetensorsHeader;

/** A tensor of an encrypted safetensors file is decrypted on its own, from its offsets. */
class EncryptedSafetensorsTest {
  private static final KeyId ID = new KeyId(ArtifactKind.MODEL, "st", "1");
  @TempDir Path dir;
  private final EphemeralKeys keys = new EphemeralKeys();
  private byte[] plaintext;
  private Path encrypted;

  @BeforeEach
  void encrypt() throws Exception {
    Map<String, Integer> tensors = new LinkedHashMap<>();
    // F32 tensors, so 4 bytes an element: 1.2 MB, 2.8 MB, 40 bytes and 2 MB, six segments in all.
    tensors.put("embedding", 300_000); // segments 0 and 1
    tensors.put("dense.weight", 700_000); // segments 1 to 3
    tensors.put("dense.bias", 10); // inside segment 3
    tensors.put("head", 500_000); // segments 3 to 5
    plaintext = Plaintexts.safetensors(tensors, 5);
    Path plain = dir.resolve("plain");
    Plaintexts.write(plain.resolve("model.safetensors"), plaintext);
    encrypted = dir.resolve("enc");
    EncryptedFolderRoundTripTest.encryptFolder(plain, encrypted, ID, keys);
  }

  private byte[] expected(SafetensorsHeader header, String name) {
    SafetensorsHeader.Tensor tensor =
        header.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    byte[] bytes = new byte[(int) (tensor.end() - tensor.begin())];
    System.arraycopy(
        plaintext, (int) (header.headerLength() + tensor.begin()), bytes, 0, bytes.length);
    return bytes;
  }

  private static byte[] array(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Test
  void everyTensorDecryptsToItsPlaintextBytes() {
    EncryptedFolder folder = EncryptedFolder.open(encrypted, keys);
    try (EncryptedSafetensors file = EncryptedSafetensors.open(folder, "model.safetensors")) {
      assertEquals(4, file.header().tensors().size());
      for (SafetensorsHeader.Tensor tensor : file.header().tensors()) {
        assertArrayEquals(
            expected(file.header(), tensor.name()),
            array(file.tensor(tensor.name())),
            tensor.name());
      }
    }
  }

  @Test
  void aTensorReadsWhenASegmentItDoesNotTouchWasChanged() throws Exception {
    // "head" lies in segments 3 to 5; a flipped byte in segment 1 leaves it readable, which shows
    // the tensor was decrypted without decrypting the rest. The changed segment itself is refused.
    flip(encrypted.resolve("model.safetensors"), StreamingScheme.SEGMENT_SIZE + 100);
    EncryptedFolder folder = EncryptedFolder.open(encrypted, keys);
    try (EncryptedSafetensors file = EncryptedSafetensors.open(folder, "model.safetensors")) {
      assertArrayEquals(expected(file.header(), "head"), array(file.tensor("head")));
      assertArrayEquals(expected(file.header(), "dense.bias"), array(file.tensor("dense.bias")));
      VerificationFailedException e =
          assertThrows(VerificationFailedException.class, () -> file.tensor("dense.weight"));
      assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }
  }

  @Test
  void aChangedHeaderSegmentRefusesTheFileAtOpen() throws Exception {
    flip(encrypted.resolve("model.safetensors"), 60);
    EncryptedFolder folder = EncryptedFolder.open(encrypted, keys);
    assertThrows(
        VerificationFailedException.class,
        () -> EncryptedSafetensors.open(folder, "model.safetensors"));
  }

  @Test
  void aMalformedSafetensorsHeaderIsBadInputNamingTheFile() throws Exception {
    Path plain = dir.resolve("bad");
    byte[] bad = plaintext.clone();
    bad[0] = (byte) 0xff; // a header length far past the end of the file
    Plaintexts.write(plain.resolve("model.safetensors"), bad);
    Path enc = dir.resolve("bad-enc");
    EncryptedFolderRoundTripTest.encryptFolder(plain, enc, ID, keys);
    EncryptedFolder folder = EncryptedFolder.open(enc, keys);
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () -> EncryptedSafetensors.open(folder, "model.safetensors"));
    assertTrue(
        e.getMessage().contains(enc.resolve("model.safetensors").toString()), e.getMessage());
  }

  @Test
  void anUnknownTensorIsNotFound() {
    EncryptedFolder folder = EncryptedFolder.open(encrypted, keys);
    try (EncryptedSafetensors file = EncryptedSafetensors.open(folder, "model.safetensors")) {
      PathException e = assertThrows(PathException.class, () -> file.tensor("nope"));
      assertEquals(PathException.Kind.NOT_FOUND, e.kind());
    }
  }

  private static void flip(Path file, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x80);
    }
  }

  @Test
  void theFixtureSpansSixSegments() throws Exception {
    assertEquals(
        6,
        (Files.size(encrypted.resolve("model.safetensors")) + StreamingScheme.SEGMENT_SIZE - 1)
            / StreamingScheme.SEGMENT_SIZE);
  }
}
