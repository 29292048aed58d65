package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.EncryptedFolder;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.TaskProgress;

/**
 * A dataset written encrypted is the dataset written in clear, read back through {@link
 * DatasetFiles}: the same manifest digest for digest (shard sizes and roots of the plaintext), the
 * same samples in the same order; and a changed ciphertext byte is refused.
 */
class EncryptedDatasetWriterTest {
  private static final KeyId KEY = new KeyId(ArtifactKind.DATASET, "mnist-subset", "main");

  @TempDir static Path dir;
  static Path clear;
  static Path encrypted;
  static KeyStore keys;
  static DatasetManifest clearManifest;
  static DatasetManifest encryptedManifest;

  @BeforeAll
  static void writeBoth() {
    Path store = dir.resolve("store");
    keys = KeyStore.init(store, MasterKeySource.resolve(null, Map.of(), store)).store();
    keys.createIfAbsent(KEY);
    clear = dir.resolve("clear");
    encrypted = dir.resolve("encrypted");
    SplitPlan plan = new SplitPlan(3, 1.0, 7);
    try (CpuEngine engine = new CpuEngine(2)) {
      clearManifest =
          DatasetWriter.write(
              DatasetWriterTest.upstream(),
              plan,
              clear,
              false,
              List.of(),
              engine,
              TaskProgress.NONE);
      encryptedManifest =
          DatasetWriter.write(
              DatasetWriterTest.upstream(),
              plan,
              encrypted,
              false,
              List.of(),
              engine,
              TaskProgress.NONE,
              new DatasetEncryption(KEY, keys));
    }
  }

  @Test
  void theManifestOfTheEncryptedDatasetEqualsTheClearOnesDigestForDigest() {
    assertArrayEquals(clearManifest.toBytes(), encryptedManifest.toBytes());
    DatasetFiles files = DatasetFiles.open(encrypted, keys);
    assertArrayEquals(clearManifest.toBytes(), DatasetManifest.read(files).toBytes());
    assertArrayEquals(DatasetIndex.read(clear).toBytes(), DatasetIndex.read(files).toBytes());
  }

  @Test
  void everyFileIsCiphertextListedInTheHeader() throws IOException {
    EncryptedFolder folder = EncryptedFolder.open(encrypted, keys);
    List<String> onDisk;
    try (Stream<Path> list = Files.list(encrypted)) {
      onDisk = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> listed = new ArrayList<>();
    folder.files().forEach(f -> listed.add(f.path()));
    listed.add(EncryptionHeader.FILE_NAME);
    assertEquals(onDisk, listed.stream().sorted().toList());
    for (String name : Set.of("index.json", "manifest.json", "source-00.tar")) {
      byte[] ciphertext = Files.readAllBytes(encrypted.resolve(name));
      byte[] plaintext = Files.readAllBytes(clear.resolve(name));
      assertTrue(ciphertext.length > plaintext.length, name);
      assertTrue(
          Collections.indexOfSubList(bytes(ciphertext), bytes(plaintext).subList(0, 64)) < 0, name);
    }
  }

  @Test
  void theShardsStreamTheSameSamplesAndTheirRootsMatchTheManifest() {
    DatasetFiles files = DatasetFiles.open(encrypted, keys);
    try (CpuEngine engine = new CpuEngine(2)) {
      assertEquals(List.of(), ShardRoots.compare(files, encryptedManifest, engine));
    }
    for (SourceDigest source : clearManifest.sources()) {
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      try (ShardReader reader = new ShardReader(clear.resolve(source.shard()))) {
        reader.forEachRemaining(s -> a.add(s.key() + ":" + Arrays.hashCode(s.data())));
      }
      try (ShardReader reader = new ShardReader(files, source.shard())) {
        reader.forEachRemaining(s -> b.add(s.key() + ":" + Arrays.hashCode(s.data())));
      }
      assertEquals(a, b, source.shard());
    }
  }

  @Test
  void aChangedCiphertextByteIsRefusedNamingTheShard(@TempDir Path copy) throws IOException {
    Path target = copyOfEncrypted(copy);
    Path shard = target.resolve("source-01.tar");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 3] ^= 0x40;
    Files.write(shard, bytes);
    DatasetFiles files = DatasetFiles.open(target, keys);
    VerificationFailedException e =
        assertThrows(
            VerificationFailedException.class,
            () -> {
              try (ShardReader reader = new ShardReader(files, "source-01.tar")) {
                reader.forEachRemaining(s -> {});
              }
            });
    assertTrue(e.getMessage().contains("source-01.tar"), e.getMessage());
  }

  @Test
  void anEncryptedDatasetWithoutKeysIsAUsageError() {
    UsageException e = assertThrows(UsageException.class, () -> DatasetFiles.open(encrypted, null));
    assertTrue(e.getMessage().contains("is encrypted"), e.getMessage());
  }

  /** --force needs no key to replace an encrypted dataset: its header lists every file. */
  @Test
  void forceReplacesAnEncryptedDatasetWithADatasetInClearWithoutItsKey(@TempDir Path copy)
      throws IOException {
    Path target = copyOfEncrypted(copy);
    replaceInClear(target);
    assertFalse(EncryptedFolder.isEncrypted(target));
    assertEquals(2, DatasetManifest.read(target).sources().size());
  }

  @Test
  void forceKeepsAnEncryptedFolderWhoseHeaderNamesNoDataset(@TempDir Path copy) throws IOException {
    Path target = copyOfEncrypted(copy);
    Path header = target.resolve(EncryptionHeader.FILE_NAME);
    Files.writeString(header, Files.readString(header).replace("sentry:dataset/", "sentry:model/"));
    List<String> before = names(target);
    UsageException e = assertThrows(UsageException.class, () -> replaceInClear(target));
    assertTrue(e.getMessage().contains("not a dataset"), e.getMessage());
    assertEquals(before, names(target));
  }

  /** Writes a dataset in clear over {@code target} with {@code --force}. */
  private static void replaceInClear(Path target) {
    try (CpuEngine engine = new CpuEngine(1)) {
      DatasetWriter.write(
          DatasetWriterTest.upstream(),
          new SplitPlan(2, 1.0, 7),
          target,
          true,
          List.of(),
          engine,
          TaskProgress.NONE);
    }
  }

  private static Path copyOfEncrypted(Path into) throws IOException {
    Path target = Files.createDirectories(into.resolve("encrypted"));
    try (Stream<Path> list = Files.list(encrypted)) {
      for (Path file : list.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    return target;
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<Byte> bytes(byte[] array) {
    List<Byte> list = new ArrayList<>(array.length);
    for (byte b : array) {
      list.add(b);
    }
    return list;
  }
}
