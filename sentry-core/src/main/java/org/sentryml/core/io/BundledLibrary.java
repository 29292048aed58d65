package org.sentryml.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Loads Sentry's optional native libraries (Linux x86-64 builds packaged in the core jar). A
 * packaged library is copied to an owner-only temporary file that System.load can open (the loader
 * cannot read inside a jar), and the file is deleted as soon as it is loaded: the mapping stays
 * valid after the unlink, and no copy is left behind even when the process is killed.
 */
public final class BundledLibrary {
  private BundledLibrary() {}

  /**
   * Loads the library packaged at {@code resource} (or the file {@code override}, when not null)
   * into the JVM.
   *
   * @param name how messages call the library, e.g. {@code libsentrycpu}
   * @return null once loaded, else why not: another platform, not packaged (no gcc at build time),
   *     or a load failure
   */
  public static @Nullable String load(
      Class<?> owner, String resource, String name, @Nullable Path override) {
    if (!"amd64".equals(System.getProperty("os.arch"))
        || !System.getProperty("os.name").startsWith("Linux")) {
      return name + " is built for Linux x86-64 only";
    }
    if (override != null) {
      return loadFile(override, name);
    }
    Optional<Path> library;
    try {
      library = extract(owner, resource);
    } catch (IOException e) {
      return "cannot load " + name + ": " + e.getMessage();
    }
    if (library.isEmpty()) {
      return name + " was not built (no gcc at build time)";
    }
    try {
      return loadFile(library.get(), name);
    } finally {
      try {
        Files.deleteIfExists(library.get());
      } catch (IOException ignored) {
        // deleteOnExit, set at extraction, is the fallback.
      }
    }
  }

  private static String loadFile(Path library, String name) {
    try {
      System.load(library.toAbsolutePath().toString());
      return null;
    } catch (UnsatisfiedLinkError e) {
      return "cannot load " + name + ": " + e.getMessage();
    }
  }

  /**
   * Copies the library packaged at {@code resource} to an owner-only temporary file.
   *
   * @param owner a class of the jar that holds the library
   * @param resource the absolute resource name, e.g. {@code /native/linux-x86_64/libx.so}
   * @return the extracted file, or empty when the build did not package the library
   */
  static Optional<Path> extract(Class<?> owner, String resource) throws IOException {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      Path file =
          Files.createTempFile(
              name.replace(".so", "-"),
              ".so",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return Optional.of(file);
    }
  }
}
