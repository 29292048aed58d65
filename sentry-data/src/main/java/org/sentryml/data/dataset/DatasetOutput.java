package org.sentryml.data.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.EncryptedFolderWriter;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.tree.MerkleOutputStream;

/**
 * The files of a dataset being written into a staging folder: in clear, or each encrypted as it is
 * written, with the shards' plaintext sizes and roots taken from the bytes as they stream past (an
 * encrypted shard is never in clear in a file to hash). Not thread-safe.
 */
abstract sealed class DatasetOutput implements AutoCloseable {
  private final Path folder;

  private DatasetOutput(Path folder) {
    this.folder = folder;
  }

  static DatasetOutput create(Path folder, @Nullable DatasetEncryption encryption) {
    return encryption == null ? new Clear(folder) : new Encrypted(folder, encryption);
  }

  final Path folder() {
    return folder;
  }

  /** A writer of the shard {@code name}. */
  abstract ShardWriter newShard(String name);

  /** The plaintext size of a finished shard. */
  abstract long shardSize(String name);

  /** The plaintext roots of finished shards, in order. */
  abstract List<Digest> shardRoots(List<String> names, HashEngine engine);

  /** Writes the whole file {@code name}. */
  abstract void writeFile(String name, byte[] content);

  /** After the last file: an encrypted folder gets its sealed header. */
  abstract void finish();

  @Override
  public void close() {}

  private static final class Clear extends DatasetOutput {
    private final AppendBuffers buffers = new AppendBuffers(AppendBuffers.DEFAULT_LIMIT);

    Clear(Path folder) {
      super(folder);
    }

    @Override
    ShardWriter newShard(String name) {
      return new ShardWriter(folder().resolve(name), buffers);
    }

    @Override
    long shardSize(String name) {
      return ShardRoots.sizeOf(folder().resolve(name));
    }

    @Override
    List<Digest> shardRoots(List<String> names, HashEngine engine) {
      return ShardRoots.roots(names.stream().map(folder()::resolve).toList(), engine);
    }

    @Override
    void writeFile(String name, byte[] content) {
      AtomicFile.write(folder().resolve(name), content);
    }

    @Override
    void finish() {}
  }

  private static final class Encrypted extends DatasetOutput {
    private final EncryptedFolderWriter writer;
    private final Map<String, MerkleOutputStream> hashers = new HashMap<>();

    Encrypted(Path folder, DatasetEncryption encryption) {
      super(folder);
      this.writer =
          EncryptedFolderWriter.create(
              folder, encryption.keyId(), encryption.keys(), EncryptionHeader.Layout.FOLDER);
    }

    @Override
    ShardWriter newShard(String name) {
      MerkleOutputStream hasher = ShardRoots.newStreamHasher();
      hashers.put(name, hasher);
      return new ShardWriter(folder().resolve(name), new Tee(writer.newFile(name), hasher));
    }

    @Override
    long shardSize(String name) {
      return hashers.get(name).count();
    }

    @Override
    List<Digest> shardRoots(List<String> names, HashEngine engine) {
      return names.stream().map(name -> ShardRoots.rootOf(hashers.get(name))).toList();
    }

    @Override
    void writeFile(String name, byte[] content) {
      try (OutputStream out = writer.newFile(name)) {
        out.write(content);
      } catch (IOException e) {
        throw PathProblems.classifyWrite(folder().resolve(name), e);
      }
    }

    @Override
    void finish() {
      writer.finish();
    }

    @Override
    public void close() {
      writer.close();
    }
  }

  /** Writes to the ciphertext and to the plaintext's hasher; closing closes the ciphertext. */
  private static final class Tee extends OutputStream {
    private final OutputStream ciphertext;
    private final MerkleOutputStream hasher;

    Tee(OutputStream ciphertext, MerkleOutputStream hasher) {
      this.ciphertext = ciphertext;
      this.hasher = hasher;
    }

    @Override
    public void write(int b) throws IOException {
      ciphertext.write(b);
      hasher.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ciphertext.write(bytes, offset, length);
      hasher.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      ciphertext.flush();
    }

    @Override
    public void close() throws IOException {
      ciphertext.close();
    }
  }
}
