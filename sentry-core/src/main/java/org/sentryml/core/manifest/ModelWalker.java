package org.sentryml.core.manifest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;

/**
 * Lists the files of a model folder (or a single model file) in canonical order, applying the
 * ignore rules and the symbolic-link policy.
 *
 * <p>Links are refused unless allowed; an allowed link is followed only when its target lies inside
 * the model folder, so a model can never pull in bytes from elsewhere. FIFOs, sockets and devices
 * are refused, since reading them could block or never end.
 */
public final class ModelWalker {
  private final IgnoreRules ignoreRules;
  private final boolean allowSymlinks;

  public ModelWalker(IgnoreRules ignoreRules, boolean allowSymlinks) {
    this.ignoreRules = ignoreRules;
    this.allowSymlinks = allowSymlinks;
  }

  public List<ModelFile> list(Path model) {
    Path root = model.toAbsolutePath().normalize();
    BasicFileAttributes attributes = attributesOf(root, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      if (!allowSymlinks) {
        throw linkRefused(root);
      }
      attributes = attributesOf(root);
    }
    if (attributes.isRegularFile()) {
      checkReadable(root);
      return List.of(new ModelFile(".", root, attributes.size()));
    }
    if (!attributes.isDirectory()) {
      throw notRegular(root);
    }
    Path realRoot = realPath(root);
    List<ModelFile> files = new ArrayList<>();
    Set<Path> visitedFolders = new HashSet<>();
    visitedFolders.add(realRoot);
    walk(root, realRoot, root, visitedFolders, files);
    files.sort((a, b) -> CanonicalOrder.NAMES.compare(a.name(), b.name()));
    return List.copyOf(files);
  }

  /**
   * Like {@link #list}, but refuses a model with no files left to {@code purpose} ("hash", "sign"):
   * an empty folder, or one whose every file is ignored.
   */
  public List<ModelFile> listNonEmpty(Path model, String purpose) {
    List<ModelFile> files = list(model);
    if (files.isEmpty()) {
      throw new MalformedInputException(
          "model folder "
              + model
              + " holds no files to "
              + purpose
              + " (it is empty or every file is ignored)");
    }
    return files;
  }

  private void walk(
      Path root, Path realRoot, Path folder, Set<Path> visitedFolders, List<ModelFile> out) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      stream.forEach(entries::add);
    } catch (IOException e) {
      throw PathProblems.classify(folder, e);
    }
    for (Path entry : entries) {
      String name = posixName(root, entry);
      if (ignoreRules.ignores(name)) {
        continue;
      }
      requireUtf8Name(entry, name);
      BasicFileAttributes attributes = attributesOf(entry, LinkOption.NOFOLLOW_LINKS);
      Path source = entry;
      if (attributes.isSymbolicLink()) {
        if (!allowSymlinks) {
          throw linkRefused(entry);
        }
        source = realPath(entry);
        if (!source.startsWith(realRoot)) {
          throw new PathException(
              PathException.Kind.SYMLINK_REFUSED,
              "symbolic link " + entry + " points outside the model folder, to " + source);
        }
        attributes = attributesOf(source);
      }
      if (attributes.isDirectory()) {
        Path real = realPath(source);
        if (!visitedFolders.add(real)) {
          throw new PathException(
              PathException.Kind.SYMLINK_REFUSED,
              "symbolic link loop: " + entry + " leads back to " + real);
        }
        walk(root, realRoot, entry, visitedFolders, out);
        visitedFolders.remove(real);
      } else if (attributes.isRegularFile()) {
        checkReadable(source);
        out.add(new ModelFile(name, source, attributes.size()));
      } else {
        throw notRegular(entry);
      }
    }
  }

  private static String posixName(Path root, Path entry) {
    List<String> parts = new ArrayList<>();
    root.relativize(entry).forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }

  /**
   * Resource names are UTF-8 (OMS). A name whose bytes are not valid UTF-8 (in the JVM's file-name
   * encoding) decodes with replacement characters, so two different files could get one name and
   * sign alike: such a name is refused. Decoding is checked by encoding the name again and
   * comparing the path the file system sees, which is byte-exact.
   */
  private static void requireUtf8Name(Path entry, String name) {
    Path fileName = entry.getFileName();
    boolean roundTrips;
    try {
      roundTrips = fileName.equals(fileName.getFileSystem().getPath(fileName.toString()));
    } catch (InvalidPathException e) {
      roundTrips = false; // the replacement characters do not even encode back
    }
    if (!roundTrips) {
      String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
      throw new MalformedInputException(
          "UTF-8".equalsIgnoreCase(encoding)
              ? "file name '"
                  + name
                  + "' is not valid UTF-8 (shown with replacement characters): rename it,"
                  + " since resource names must be UTF-8 and two such names could read alike"
              : "file name '"
                  + name
                  + "' cannot be decoded in "
                  + encoding
                  + ", this JVM's file-name encoding:"
                  + " run under a UTF-8 locale (e.g. LC_ALL=C.UTF-8)");
    }
  }

  private static BasicFileAttributes attributesOf(Path path, LinkOption... options) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, options);
    } catch (IOException e) {
      throw PathProblems.classify(path, e);
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw PathProblems.classify(path, e);
    }
  }

  private static void checkReadable(Path file) {
    if (!Files.isReadable(file)) {
      throw new PathException(PathException.Kind.PERMISSION_DENIED, "permission denied: " + file);
    }
  }

  private static SentryException linkRefused(Path link) {
    return new PathException(
        PathException.Kind.SYMLINK_REFUSED,
        "symbolic link "
            + link
            + " refused (pass --allow_symlinks to follow links inside the model)");
  }

  private static SentryException notRegular(Path path) {
    return new PathException(
        PathException.Kind.NOT_A_REGULAR_FILE,
        "not a regular file or folder (FIFO, socket or device): " + path);
  }
}
