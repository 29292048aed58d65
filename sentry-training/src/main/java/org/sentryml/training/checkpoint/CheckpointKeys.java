package org.sentryml.training.checkpoint;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.io.BoundedFiles;

/**
 * Where a run's checkpoint key comes from. With a data key ({@link #dataKey}: the dataset or model
 * is encrypted), the checkpoints are sealed under that key, which never touches the checkpoint
 * folder: they are then secret and unforgeable to whoever can only read or write the folder.
 * Otherwise ({@link #runKey}) each run gets a fresh key kept in the folder as {@value #RUN_KEY},
 * owner-only: that authenticates against damage, torn writes and mix-ups between runs, not against
 * someone who can rewrite the folder (a {@link CheckpointLedger} catches that as a digest
 * mismatch).
 */
public sealed interface CheckpointKeys {
  String RUN_KEY = "run-key.json";

  /** The sealer for {@code runId} in {@code folder}, creating a run key if {@code create}. */
  CheckpointSealer sealer(Path folder, String runId, boolean create);

  /** What {@code run.json} records about the key: {@code run-key} or the data key's id. */
  String describe();

  static CheckpointKeys runKey() {
    return new RunKey();
  }

  static CheckpointKeys dataKey(DataKeys keys, KeyId id) {
    return new DataKey(keys, id);
  }

  /** A fresh key per run, in the checkpoint folder. */
  record RunKey() implements CheckpointKeys {
    // Tink deprecates clear-text keysets because they sit beside what they protect; that is this
    // key's documented limit (see the interface), and the data-key path is the one without it.
    @SuppressWarnings("deprecation")
    @Override
    public CheckpointSealer sealer(Path folder, String runId, boolean create) {
      Path file = folder.resolve(RUN_KEY);
      // Touching the scheme first registers its key type, so the parsed keyset is usable.
      StreamingScheme.ciphertextSize(0);
      try {
        KeysetHandle keyset;
        if (create) {
          keyset = StreamingScheme.newKeyset();
          Durable.writeNew(
              file,
              TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get())
                  .getBytes(StandardCharsets.UTF_8));
        } else {
          keyset =
              TinkJsonProtoKeysetFormat.parseKeyset(
                  new String(
                      BoundedFiles.read(file, 1 << 16, "checkpoint run key"),
                      StandardCharsets.UTF_8),
                  InsecureSecretKeyAccess.get());
        }
        return new CheckpointSealer(StreamingScheme.primitive(keyset, file), runId);
      } catch (GeneralSecurityException e) {
        throw new MalformedInputException(file + " is not a Tink keyset: " + e.getMessage());
      }
    }

    @Override
    public String describe() {
      return "run-key";
    }
  }

  /** The data key of the encrypted dataset or model, from the key store or key server. */
  record DataKey(DataKeys keys, KeyId id) implements CheckpointKeys {
    @Override
    public CheckpointSealer sealer(Path folder, String runId, boolean create) {
      return new CheckpointSealer(keys.streamingAead(id), runId);
    }

    @Override
    public String describe() {
      return id.toString();
    }
  }
}
