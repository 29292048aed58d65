package org.sentryml.confidential.encryption;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as {@code sentry-encryption.json}: the reader returns a header or refuses with a {@link
 * SentryException}; and every path of a header it accepts stays inside the folder, since those
 * paths are opened, and written by {@code sentry decrypt}, before any key is involved.
 */
class HeaderFileFuzzTest {
  private static final Path FOLDER = tempFolder();

  private static Path tempFolder() {
    try {
      Path folder = Files.createTempDirectory("sentry-fuzz-");
      folder.toFile().deleteOnExit();
      folder.resolve(EncryptionHeader.FILE_NAME).toFile().deleteOnExit();
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void anAcceptedHeaderNamesOnlyFilesInsideItsFolder(byte[] input) throws IOException {
    Files.write(FOLDER.resolve(EncryptionHeader.FILE_NAME), input);
    HeaderFile.Sealed sealed;
    try {
      sealed = HeaderFile.read(FOLDER);
    } catch (SentryException expected) {
      return;
    }
    for (EncryptionHeader.FileEntry entry : sealed.header().files()) {
      Path resolved = FOLDER.resolve(entry.path()).normalize();
      if (!resolved.startsWith(FOLDER)
          || resolved.equals(FOLDER)
          || resolved.equals(FOLDER.resolve(EncryptionHeader.FILE_NAME))) {
        throw new AssertionError("accepted a header naming " + entry.path());
      }
    }
    AssociatedData.ofHeader(sealed.header());
  }
}
