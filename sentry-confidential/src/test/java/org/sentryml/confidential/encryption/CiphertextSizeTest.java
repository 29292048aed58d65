package org.sentryml.confidential.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ciphertext length that opening an encrypted folder demands is exactly what Tink writes, at
 * and around every segment boundary, so a header size and a file length can be compared before
 * anything is decrypted.
 */
class CiphertextSizeTest {
  private static final KeyId ID = new KeyId(ArtifactKind.MODEL, "sizes", "1");
  @TempDir Path dir;

  @Test
  void ciphertextSizeIsWhatTinkWritesAroundEverySegmentBoundary() throws Exception {
    int first = Plaintexts.FIRST;
    int next = Plaintexts.NEXT;
    List<Integer> sizes =
        List.of(
            0,
            1,
            first - 1,
            first,
            first + 1,
            first + next - 1,
            first + next,
            first + next + 1,
            first + 2 * next);
    EphemeralKeys keys = new EphemeralKeys();
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(dir, ID, keys, EncryptionHeader.Layout.FOLDER)) {
      for (int size : sizes) {
        try (OutputStream out = writer.newFile("f" + size)) {
          // Written in odd pieces: where segments end must not depend on how the bytes arrive.
          byte[] bytes = Plaintexts.random(size, size);
          for (int at = 0; at < size; at += 100_003) {
            out.write(bytes, at, Math.min(100_003, size - at));
          }
        }
      }
      writer.finish();
    }
    for (int size : sizes) {
      assertEquals(
          StreamingScheme.ciphertextSize(size),
          Files.size(dir.resolve("f" + size)),
          "plaintext of " + size + " bytes");
    }
  }

  @Test
  void anEmptyPlaintextIsOneSegmentOfHeaderAndTag() {
    assertEquals(
        StreamingScheme.HEADER_BYTES + StreamingScheme.TAG_BYTES,
        StreamingScheme.ciphertextSize(0));
  }
}
