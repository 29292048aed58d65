package org.sentryml.confidential.encryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.StagedFolder;

/**
 * Decrypts an encrypted folder back into the plaintext it was made from ({@code sentry decrypt}): a
 * folder, or the single file of a single-file artifact. Every file is decrypted and authenticated
 * to its end into a staging folder (or a temporary file) beside the output, on {@code threads}
 * threads, and only then renamed into place, so a file that fails authentication leaves no output
 * at all. The plaintext is created readable by its owner only (folders 0700, files 0600), as it was
 * confidential. Stateless.
 */
public final class ArtifactDecryption {
  private static final Set<PosixFilePermission> OWNER_FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_FILE =
      PosixFilePermissions.asFileAttribute(AtomicFile.OWNER_ONLY);

  private ArtifactDecryption() {}

  /**
   * Decrypts the encrypted folder {@code input} into {@code out}, authenticating every file to its
   * end before the output appears.
   *
   * @param inputs everything the run reads besides {@code input} (the key store)
   * @return the authenticated header of what was decrypted
   * @throws UsageException for an output that is refused
   */
  public static EncryptionHeader decrypt(
      Path input, Path out, DataKeys keys, List<Path> inputs, boolean replace, int threads) {
    EncryptedFolder folder = EncryptedFolder.open(input, keys);
    OutputTarget.check(out, input, inputs, replace);
    if (folder.header().layout() == EncryptionHeader.Layout.FILE) {
      if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
        throw new UsageException(
            "--out " + out + " is a folder, but " + input + " decrypts to one file");
      }
      decryptFile(folder, folder.files().get(0).path(), out);
      return folder.header();
    }
    try (StagedFolder staged = StagedFolder.create(out)) {
      List<EncryptionHeader.FileEntry> order = new ArrayList<>(folder.files());
      order.sort(Comparator.comparingLong(EncryptionHeader.FileEntry::size).reversed());
      ParallelFiles.run(
          order,
          threads,
          "sentry-decrypt",
          entry -> decryptInto(folder, entry.path(), staged.folder()));
      ownerOnly(staged.folder());
      staged.commit();
    }
    return folder.header();
  }

  private static void decryptFile(EncryptedFolder folder, String path, Path out) {
    try (AtomicFile file = AtomicFile.create(out, AtomicFile.OWNER_ONLY);
        InputStream in = folder.newInputStream(path)) {
      copy(in, file.stream());
      file.commit(true);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(out, e);
    }
  }

  /** Copies in segment-sized reads: the decrypting stream hands out a segment at a time. */
  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[StreamingScheme.SEGMENT_SIZE];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      out.write(buffer, 0, n);
    }
  }

  private static void decryptInto(EncryptedFolder folder, String path, Path root) {
    Path target = root.resolve(path);
    try {
      createOwnerOnlyFolders(root, target.getParent());
      try (FileChannel channel =
              FileChannel.open(
                  target,
                  Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  OWNER_FILE);
          InputStream in = folder.newInputStream(path)) {
        copy(in, Channels.newOutputStream(channel));
        channel.force(true);
      }
    } catch (IOException e) {
      throw PathProblems.classifyWrite(target, e);
    }
  }

  /** The folders from {@code root} down to {@code folder}, each created owner-only if missing. */
  private static void createOwnerOnlyFolders(Path root, Path folder) throws IOException {
    if (folder.equals(root) || Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    createOwnerOnlyFolders(root, folder.getParent());
    try {
      Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
    } catch (FileAlreadyExistsException raced) {
      // Another thread created it for a file of its own; it has the same permissions.
    }
  }

  private static void ownerOnly(Path folder) {
    try {
      Files.setPosixFilePermissions(folder, OWNER_FOLDER);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(folder, e);
    }
  }
}
