package org.sentryml.confidential.encryption.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.EncryptedFolder;
import org.sentryml.confidential.encryption.EncryptedFolderWriter;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.testkit.SecretSpellings;

class KeyStoreTest {
  private static final KeyId MODEL = new KeyId(ArtifactKind.MODEL, "mnist-cnn", "3");
  private static final KeyId DATASET = new KeyId(ArtifactKind.DATASET, "mnist-subset", "1");
  @TempDir Path dir;
  private Path folder;
  private MasterKeySource source;
  private KeyStore store;

  @BeforeEach
  void init() {
    folder = dir.resolve("store");
    source = MasterKeySource.resolve(null, Map.of(), folder);
    KeyStore.Initialized initialized = KeyStore.init(folder, source);
    assertTrue(initialized.masterKeyCreated());
    store = initialized.store();
  }

  private Path encrypt(KeyStore keys, KeyId id, String name, byte[] plaintext) throws Exception {
    Path out = Files.createDirectories(dir.resolve(name));
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(out, id, keys, EncryptionHeader.Layout.FOLDER)) {
      try (OutputStream file = writer.newFile("data.bin")) {
        file.write(plaintext);
      }
      writer.finish();
    }
    return out;
  }

  private static byte[] decrypt(KeyStore keys, Path folder) throws Exception {
    try (InputStream in = EncryptedFolder.open(folder, keys).newInputStream("data.bin")) {
      return in.readAllBytes();
    }
  }

  @Test
  void initMakesAnOwnerOnlyStoreWithTheDefaultMasterKeyInIt() throws Exception {
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("keys"))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("master.key"))));
    assertTrue(source.insideStore());
    assertEquals(List.of(), KeyStore.list(folder));
  }

  @Test
  void theMasterKeyFileIsATinkJsonKeysetOfOneAes256GcmKey() throws Exception {
    KeysetHandle keyset =
        TinkJsonProtoKeysetFormat.parseKeyset(
            Files.readString(folder.resolve("master.key")),
            RegistryConfiguration.get(),
            InsecureSecretKeyAccess.get());
    assertEquals(1, keyset.size());
    assertEquals(PredefinedAeadParameters.AES256_GCM, keyset.getPrimary().getKey().getParameters());
  }

  @Test
  void aStoreIsInitializedOnce() {
    UsageException e = assertThrows(UsageException.class, () -> KeyStore.init(folder, source));
    assertTrue(e.getMessage().contains("key store already"), e.getMessage());
  }

  @Test
  void aKeyCreatedOnceEncryptsAndAnotherProcessDecrypts() throws Exception {
    KeyInfo info = store.create(MODEL);
    assertEquals(MODEL, info.id());
    assertEquals(1, info.keys());
    byte[] plaintext = "weights".getBytes(StandardCharsets.UTF_8);
    Path encrypted = encrypt(store, MODEL, "enc", plaintext);
    assertArrayEquals(
        plaintext,
        decrypt(KeyStore.open(folder, MasterKeySource.resolve(null, Map.of(), folder)), encrypted));
  }

  @Test
  void aKeyIsCreatedOnlyOnce() {
    store.create(MODEL);
    UsageException e = assertThrows(UsageException.class, () -> store.create(MODEL));
    assertTrue(e.getMessage().contains("exists already"), e.getMessage());
    assertFalse(store.createIfAbsent(MODEL));
    assertTrue(store.createIfAbsent(DATASET));
  }

  @Test
  void aMissingKeyIsNotFoundNamingItsFile() {
    PathException e = assertThrows(PathException.class, () -> store.streamingAead(MODEL));
    assertEquals(PathException.Kind.NOT_FOUND, e.kind());
    assertTrue(
        e.getMessage().contains(store.keyFile(MODEL).toString())
            && e.getMessage().contains(MODEL.toString()),
        e.getMessage());
  }

  @Test
  void listShowsIdsAndTimesWithoutTheMasterKey() throws Exception {
    store.create(MODEL);
    store.create(DATASET);
    store.rotate(MODEL);
    Files.delete(folder.resolve("master.key"));
    List<KeyInfo> keys = KeyStore.list(folder);
    assertEquals(List.of(DATASET, MODEL), keys.stream().map(KeyInfo::id).toList());
    assertTrue(keys.get(0).rotated().isEmpty());
    assertEquals(1, keys.get(0).keys());
    assertTrue(keys.get(1).rotated().isPresent());
    assertEquals(2, keys.get(1).keys());
    assertFalse(keys.get(1).rotated().get().isBefore(keys.get(1).created()));
  }

  @Test
  void rotationEncryptsWithTheNewKeyAndStillDecryptsWithTheOld() throws Exception {
    store.create(MODEL);
    // Several segments, so that trying the new key first and rewinding to the old one is exercised
    // on a real stream and a real channel, not on one buffered segment.
    byte[] old = new byte[3_000_000];
    new java.util.SplittableRandom(5).nextBytes(old);
    Path before = encrypt(store, MODEL, "before", old);
    Path oldKeyFile = Files.copy(store.keyFile(MODEL), dir.resolve("old-key.json"));
    KeyInfo rotated = store.rotate(MODEL);
    assertEquals(2, rotated.keys());
    Path after = encrypt(store, MODEL, "after", new byte[] {2});
    assertArrayEquals(old, decrypt(store, before));
    try (var channel = EncryptedFolder.open(before, store).newSeekableChannel("data.bin")) {
      java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(1000);
      channel.position(old.length - 1000);
      while (tail.hasRemaining() && channel.read(tail) >= 0) {
        // Fill the buffer.
      }
      assertArrayEquals(
          java.util.Arrays.copyOfRange(old, old.length - 1000, old.length), tail.array());
    }
    assertArrayEquals(new byte[] {2}, decrypt(store, after));
    // Under the keyset as it was before the rotation, only the older folder opens: the new one was
    // encrypted with the new primary.
    Files.copy(oldKeyFile, store.keyFile(MODEL), StandardCopyOption.REPLACE_EXISTING);
    assertArrayEquals(old, decrypt(store, before));
    assertThrows(VerificationFailedException.class, () -> decrypt(store, after));
  }

  @Test
  void aWrongMasterKeyIsRefusedWhenTheStoreOpens() throws Exception {
    Path other = dir.resolve("other.key");
    MasterKey.createFile(other);
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class,
            () -> KeyStore.open(folder, MasterKeySource.resolve(other, Map.of(), folder)));
    assertTrue(
        e.getMessage().contains(other.toString()) && e.getMessage().contains(folder.toString()),
        e.getMessage());
  }

  @Test
  void aKeyFileRenamedToAnotherIdIsBadInputNamingIt() throws Exception {
    store.create(MODEL);
    Files.move(store.keyFile(MODEL), store.keyFile(DATASET));
    MalformedInputException e =
        assertThrows(MalformedInputException.class, () -> store.streamingAead(DATASET));
    assertTrue(e.getMessage().contains(store.keyFile(DATASET).toString()), e.getMessage());
  }

  @Test
  void aKeysetCopiedUnderAnotherIdFailsAuthentication() throws Exception {
    store.create(MODEL);
    store.create(DATASET);
    // The whole keyset of MODEL under DATASET's name and id: only the associated data tells.
    String forged =
        Files.readString(store.keyFile(MODEL)).replace(MODEL.toString(), DATASET.toString());
    Files.writeString(store.keyFile(DATASET), forged);
    VerificationFailedException e =
        assertThrows(VerificationFailedException.class, () -> store.streamingAead(DATASET));
    assertTrue(e.getMessage().contains(store.keyFile(DATASET).toString()), e.getMessage());
  }

  @Test
  void aChangedKeysetFailsAuthentication() throws Exception {
    store.create(MODEL);
    Path file = store.keyFile(MODEL);
    String json = Files.readString(file);
    int at = json.indexOf("\"encryptedKeyset\": \"") + 30;
    char c = json.charAt(at);
    Files.writeString(
        file, json.substring(0, at) + (c == 'A' ? 'B' : 'A') + json.substring(at + 1));
    assertThrows(VerificationFailedException.class, () -> store.streamingAead(MODEL));
  }

  @Test
  void aMasterKeyOthersMayReadIsRefused() throws Exception {
    Path key = folder.resolve("master.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    PathException e = assertThrows(PathException.class, () -> KeyStore.open(folder, source));
    assertEquals(PathException.Kind.PERMISSION_DENIED, e.kind());
    assertTrue(
        e.getMessage().contains(key.toString()) && e.getMessage().contains("chmod 600"),
        e.getMessage());
  }

  @Test
  void aMasterKeyThatDoesNotParseIsBadInputAndItsTextIsNotRepeated() throws Exception {
    Path key = dir.resolve("garbage.key");
    Files.writeString(key, "{\"primaryKeyId\": 1, \"key\": [\"c2VjcmV0LWtleS10ZXh0\"]}");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () -> KeyStore.open(folder, MasterKeySource.resolve(key, Map.of(), folder)));
    assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
    assertNull(e.getCause());
  }

  @Test
  void aMasterKeyOfAnotherKindIsRefused() throws Exception {
    Path key = dir.resolve("aes128.key");
    KeysetHandle aes128 =
        KeysetHandle.generateNew(PredefinedAeadParameters.AES128_GCM, RegistryConfiguration.get());
    Files.writeString(
        key,
        TinkJsonProtoKeysetFormat.serializeKeyset(
            aes128, RegistryConfiguration.get(), InsecureSecretKeyAccess.get()));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    MalformedInputException e =
        assertThrows(
            MalformedInputException.class,
            () ->
                KeyStore.init(
                    dir.resolve("store2"),
                    MasterKeySource.resolve(key, Map.of(), dir.resolve("store2"))));
    assertTrue(e.getMessage().contains("not AES256_GCM"), e.getMessage());
  }

  @Test
  void aMasterKeyInTheEnvironmentOpensAStore() throws Exception {
    String text = Files.readString(folder.resolve("master.key"));
    Path moved = dir.resolve("moved");
    Files.move(folder, moved);
    Files.delete(moved.resolve("master.key"));
    MasterKeySource fromEnvironment =
        MasterKeySource.resolve(null, Map.of(MasterKeySource.KEY_VARIABLE, text), moved);
    KeyStore opened = KeyStore.open(moved, fromEnvironment);
    opened.create(MODEL);
    assertEquals(
        "master key in environment variable SENTRY_MASTER_KEY", fromEnvironment.toString());
  }

  @Test
  void noFileButTheMasterKeyHoldsAKeyInAnySpelling() throws Exception {
    store.create(MODEL);
    store.create(DATASET);
    store.rotate(MODEL);
    encrypt(store, MODEL, "enc", new byte[] {7});
    List<byte[]> dataKeys = new ArrayList<>(KeyMaterial.dataKey(store, source, MODEL));
    dataKeys.addAll(KeyMaterial.dataKey(store, source, DATASET));
    List<byte[]> masterKey = KeyMaterial.masterKey(folder.resolve("master.key"));
    assertEquals(3, dataKeys.size());
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(SecretSpellings.mentioned(text, dataKeys), file.toString());
        if (!file.equals(folder.resolve("master.key"))) {
          assertFalse(SecretSpellings.mentioned(text, masterKey), file.toString());
        }
      }
    }
  }
}
