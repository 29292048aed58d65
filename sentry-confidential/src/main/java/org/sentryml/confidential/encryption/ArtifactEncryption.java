package org.sentryml.confidential.encryption;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.StagedFolder;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.ModelFile;
import org.sentryml.core.manifest.ModelWalker;

/**
 * Encrypts a model folder, a single model file or a prepared dataset folder into an encrypted
 * folder ({@code sentry encrypt}): the files are listed as for hashing (git metadata left out,
 * symbolic links refused), encrypted on {@code threads} threads into a staging folder beside the
 * output, sealed, and renamed into place; a failure leaves no output. Stateless.
 */
public final class ArtifactEncryption {
  private ArtifactEncryption() {}

  /**
   * Encrypts the model or dataset {@code input} under {@code keyId} into {@code out}, on {@code
   * threads} cores, through a staging folder renamed into place.
   *
   * @param inputs everything the run reads besides {@code input} (the key store), which the output
   *     must not hold
   * @param replace whether an existing {@code out} may be replaced
   * @return the header written
   * @throws UsageException for an output that is refused, or an input that is encrypted already
   */
  public static EncryptionHeader encrypt(
      Path input,
      Path out,
      KeyId keyId,
      DataKeys keys,
      List<Path> inputs,
      boolean replace,
      int threads) {
    List<ModelFile> files =
        new ModelWalker(IgnoreRules.defaultsPlus(List.of()), false).listNonEmpty(input, "encrypt");
    boolean single = files.size() == 1 && files.get(0).name().equals(".");
    if (!single && EncryptedFolder.isEncrypted(input)) {
      throw new UsageException(
          input + " holds " + EncryptionHeader.FILE_NAME + ": it is encrypted already");
    }
    OutputTarget.check(out, input, inputs, replace);
    Map<String, Path> sources = new LinkedHashMap<>();
    for (ModelFile file : files) {
      sources.put(
          single ? input.toAbsolutePath().normalize().getFileName().toString() : file.name(),
          file.path());
    }
    try (StagedFolder staged = StagedFolder.create(out)) {
      EncryptionHeader header;
      try (EncryptedFolderWriter writer =
          EncryptedFolderWriter.create(
              staged.folder(),
              keyId,
              keys,
              single ? EncryptionHeader.Layout.FILE : EncryptionHeader.Layout.FOLDER)) {
        writer.encryptFiles(sources, threads);
        header = writer.finish();
      }
      staged.commit();
      return header;
    }
  }
}
