package org.sentryml.confidential.encryption.keys;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.confidential.encryption.KeyId;

/** The secret bytes of a store's keys, taken out the way only a test may, to search for them. */
final class KeyMaterial {
  private KeyMaterial() {}

  /** The AES-256-GCM key bytes of a master key file. */
  @AccessesPartialKey
  static List<byte[]> masterKey(Path file) throws Exception {
    KeysetHandle keyset =
        TinkJsonProtoKeysetFormat.parseKeyset(
            Files.readString(file), RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < keyset.size(); i++) {
      keys.add(
          ((AesGcmKey) keyset.getAt(i).getKey())
              .getKeyBytes()
              .toByteArray(InsecureSecretKeyAccess.get()));
    }
    return keys;
  }

  /** The initial key material of every key of data key {@code id}. */
  @AccessesPartialKey
  static List<byte[]> dataKey(KeyStore store, MasterKeySource source, KeyId id) throws Exception {
    KeysetHandle keyset =
        TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
            KeyFile.read(store.keyFile(id)).encryptedKeyset(),
            source.load().aead(),
            id.toString().getBytes(StandardCharsets.UTF_8),
            RegistryConfiguration.get());
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < keyset.size(); i++) {
      keys.add(
          ((AesGcmHkdfStreamingKey) keyset.getAt(i).getKey())
              .getInitialKeyMaterial()
              .toByteArray(InsecureSecretKeyAccess.get()));
    }
    return keys;
  }
}
