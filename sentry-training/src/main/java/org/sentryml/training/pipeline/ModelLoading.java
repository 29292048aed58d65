package org.sentryml.training.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.EncryptedFolder;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.model.LoadedModel;
import org.sentryml.core.model.ModelPlan;
import org.sentryml.core.model.Models;
import org.sentryml.core.signing.StatementVerifier;

/**
 * Verifies the inferencer's model and loads it into private memory: a clear model as the facade
 * reads it, an encrypted one (its folder holds {@code sentry-encryption.json}) decrypted file by
 * file into memory — each file authenticated to its end — and then verified against its signature
 * there. The plaintext never reaches the disk. Stateless.
 */
public final class ModelLoading {
  private ModelLoading() {}

  static LoadedModel verifyAndLoad(
      InferencePipeline.Request request, StatementVerifier verifier, OnDemandEngine engine) {
    return verifyAndLoad(
        request.modelDir(), request.signatures().model(), request.keys(), verifier, engine);
  }

  /**
   * The model in {@code modelDir}, decrypted into memory first when it is encrypted, verified
   * against {@code signatureFile} (also what {@code sentry-inferencer serve} loads and reloads).
   *
   * @param keys the key store holding an encrypted model's key; null when none was given
   */
  public static LoadedModel verifyAndLoad(
      Path modelDir,
      Path signatureFile,
      @Nullable DataKeys keys,
      StatementVerifier verifier,
      OnDemandEngine engine) {
    if (!EncryptedFolder.isEncrypted(modelDir)) {
      return Models.verifyAndLoad(modelDir, signatureFile, verifier, engine);
    }
    if (keys == null) {
      throw new UsageException(
          "model "
              + modelDir
              + " is encrypted; give the key store that holds its key with --key-store DIR");
    }
    EncryptedFolder folder = EncryptedFolder.open(modelDir, keys);
    Map<String, ByteBuffer> files = new TreeMap<>();
    for (EncryptionHeader.FileEntry entry : folder.files()) {
      files.put(entry.path(), decrypt(folder, entry));
    }
    return Models.verifyAndLoad(ModelPlan.nameOf(modelDir), files, signatureFile, verifier, engine);
  }

  private static ByteBuffer decrypt(EncryptedFolder folder, EncryptionHeader.FileEntry entry) {
    if (entry.size() > Integer.MAX_VALUE - 8) {
      throw new MalformedInputException(
          folder.folder().resolve(entry.path()),
          "file " + entry.path() + " is too large to load into memory (2 GiB at most)",
          null);
    }
    try (InputStream in = folder.newInputStream(entry.path())) {
      return ByteBuffer.wrap(in.readAllBytes()).asReadOnlyBuffer();
    } catch (IOException e) {
      throw PathProblems.classify(folder.folder().resolve(entry.path()), e);
    }
  }
}
