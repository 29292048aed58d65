package org.sentryml.training.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.EncryptedFolderWriter;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.AtomicFile;

/**
 * Writes a trained model's files into its (staged) folder: in clear, or, with a model key, each
 * file encrypted from memory as it is written, so that no plaintext byte of the model reaches the
 * disk (DESIGN §8). Stateless.
 */
final class ModelOutput {
  private ModelOutput() {}

  static void write(
      Path folder, Map<String, byte[]> files, @Nullable DataKeys keys, @Nullable KeyId modelKey) {
    if (modelKey == null) {
      files.forEach((name, bytes) -> AtomicFile.write(folder.resolve(name), bytes));
      return;
    }
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(folder, modelKey, keys, EncryptionHeader.Layout.FOLDER)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        try (OutputStream out = writer.newFile(file.getKey())) {
          out.write(file.getValue());
        } catch (IOException e) {
          throw PathProblems.classifyWrite(folder.resolve(file.getKey()), e);
        }
      }
      writer.finish();
    }
  }
}
