package org.sentryml.cli;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.sentryml.testkit.SecretSpellings;

/**
 * Every secret of a key store in every spelling it could be printed in, read the way docs/FORMAT.md
 * describes the files (with Tink directly, not through Sentry), so that a test can search output
 * for them.
 */
final class StoreSecrets {
  private StoreSecrets() {}

  @AccessesPartialKey
  static List<String> of(Path store, Path masterKeyFile) throws Exception {
    AeadConfig.register();
    StreamingAeadConfig.register();
    List<String> secrets = new ArrayList<>();
    String masterJson = Files.readString(masterKeyFile);
    KeysetHandle master =
        TinkJsonProtoKeysetFormat.parseKeyset(
            masterJson, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    for (int i = 0; i < master.size(); i++) {
      secrets.addAll(
          SecretSpellings.of(
              ((AesGcmKey) master.getAt(i).getKey())
                  .getKeyBytes()
                  .toByteArray(InsecureSecretKeyAccess.get())));
    }
    // The serialized key as the file holds it (base64 of the key's protobuf).
    for (JsonElement key :
        JsonParser.parseString(masterJson).getAsJsonObject().getAsJsonArray("key")) {
      secrets.add(key.getAsJsonObject().getAsJsonObject("keyData").get("value").getAsString());
    }
    Aead aead = master.getPrimitive(RegistryConfiguration.get(), Aead.class);
    try (Stream<Path> files = Files.list(store.resolve("keys"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        KeysetHandle data =
            TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
                json.get("keyset").toString(),
                aead,
                json.get("id").getAsString().getBytes(StandardCharsets.UTF_8),
                RegistryConfiguration.get());
        for (int i = 0; i < data.size(); i++) {
          secrets.addAll(
              SecretSpellings.of(
                  ((AesGcmHkdfStreamingKey) data.getAt(i).getKey())
                      .getInitialKeyMaterial()
                      .toByteArray(InsecureSecretKeyAccess.get())));
        }
      }
    }
    return secrets;
  }
}
