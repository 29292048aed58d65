package org.sentryml.data.dataset;

import java.util.Objects;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.errors.UsageException;

/**
 * How a prepared dataset is encrypted as it is written (DESIGN §8): under the data key {@code
 * keyId}, which {@code keys} supplies. Every file of the output, shards, index, manifest and
 * tokenizer alike, is then a ciphertext; no plaintext byte of a sample reaches the disk.
 */
public record DatasetEncryption(KeyId keyId, DataKeys keys) {
  /**
   * Each shard being written holds an open file and a segment buffer of 1 MiB, so an encrypted
   * dataset has at most this many sources.
   */
  public static final int MAX_SOURCES = 256;

  public DatasetEncryption {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(keys, "keys");
    if (keyId.kind() != ArtifactKind.DATASET) {
      throw new UsageException("key " + keyId + " is not a dataset key");
    }
  }
}
