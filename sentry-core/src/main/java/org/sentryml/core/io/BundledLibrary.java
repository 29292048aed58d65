package org.sentryml.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Copies a native library packaged in a jar to an owner-only temporary file that System.load can
 * open (the loader cannot read inside a jar). The copy is removed when the JVM exits.
 */
public final class BundledLibrary {
  private BundledLibrary() {}

  /**
   * @param owner a class of the jar that holds the library
   * @param resource the absolute resource name, e.g. {@code /native/linux-x86_64/libx.so}
   * @return the extracted file, or empty when the build did not package the library
   */
  public static Optional<Path> extract(Class<?> owner, String resource) throws IOException {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      Path file =
          Files.createTempFile(
              name.replace(".so", "-"), ".so", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return Optional.of(file);
    }
  }
}
