package org.sentryml.confidential.encryption.keys;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as a key file or a master key: each reader returns a value or refuses with a {@link
 * SentryException}; a refused master key is never quoted in the message, and an accepted key file
 * holds the id its name says.
 */
class KeyFilesFuzzTest {
  private static final Path KEY_FILE = tempKeyFile();

  private static Path tempKeyFile() {
    try {
      Path folder = Files.createTempDirectory("sentry-fuzz-");
      folder.toFile().deleteOnExit();
      Path file = folder.resolve("model-fuzz@1.json");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void anAcceptedKeyFileHoldsTheIdOfItsName(byte[] input) throws IOException {
    Files.write(KEY_FILE, input);
    KeyFile.Contents contents;
    try {
      contents = KeyFile.read(KEY_FILE);
    } catch (SentryException expected) {
      return;
    }
    if (!contents.id().toString().equals("sentry:model/fuzz@1")) {
      throw new AssertionError(
          "accepted key file " + KEY_FILE.getFileName() + " holding " + contents.id());
    }
  }

  @FuzzTest
  void aRefusedMasterKeyIsNeverQuoted(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      MasterKey.fromText(text, "fuzzed master key");
    } catch (SentryException refused) {
      if (text.length() >= 8 && refused.getMessage().contains(text)) {
        throw new AssertionError(
            "the message quotes the refused key: " + refused.getMessage(), refused);
      }
      if (refused.getCause() != null) {
        throw new AssertionError("a refused key's cause may quote it", refused);
      }
    }
  }
}
