package org.sentryml.core.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as a safetensors file: the header parser either returns a header whose tensors tile the
 * file exactly or refuses with a {@link SentryException}; nothing else may escape.
 */
class SafetensorsHeaderFuzzTest {
  private static final Path FILE = tempFile();

  private static Path tempFile() {
    try {
      Path file = Files.createTempFile("sentry-fuzz-", ".safetensors");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void headerIsAcceptedOnlyWhenItCoversTheFile(byte[] input) throws IOException {
    Files.write(FILE, input);
    SafetensorsHeader header;
    try {
      header = SafetensorsHeader.read(FILE);
    } catch (SentryException expected) {
      return;
    }
    long covered = header.headerLength();
    for (SafetensorsHeader.Tensor tensor : header.tensors()) {
      if (header.headerLength() + tensor.begin() != covered) {
        throw new AssertionError("accepted a header with a gap or overlap before " + tensor.name());
      }
      covered = header.headerLength() + tensor.end();
    }
    if (covered != input.length) {
      throw new AssertionError(
          "accepted a header covering " + covered + " of " + input.length + " bytes");
    }
  }
}
