package org.sentryml.data.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.MerkleOutputStream;
import org.sentryml.core.tree.Topology;

/**
 * The at-rest digests of shard files ({@link DatasetManifest#SHARD_ROOT_ALGORITHM}) and their
 * comparison with the sizes and roots {@code manifest.json} records. A root changes when a shard is
 * re-encoded or reordered although its samples stay the same, so the callers decide what a
 * difference means (docs/FORMAT.md): the trainer refuses to train on a shard that differs, the
 * inferencer reports it beside the signed lattices, which decide. Stateless.
 */
public final class ShardRoots {
  private static final HashingOptions OPTIONS =
      new HashingOptions(Topology.MERKLE, HashAlgorithm.SHA256, 65536);

  private ShardRoots() {}

  /** A shard whose file is not the one the manifest records. */
  public record Difference(
      String source, String shard, long recordedSize, Digest recordedRoot, long size, Digest root) {
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s (%s): %s records %d bytes with %s:%s, the file has %d bytes with %s:%s",
          source,
          shard,
          DatasetManifest.FILE,
          recordedSize,
          recordedRoot.algorithm(),
          recordedRoot.hex(),
          size,
          root.algorithm(),
          root.hex());
    }
  }

  /**
   * Every source of {@code manifest} whose shard in {@code datasetDir} differs, in manifest order.
   */
  public static List<Difference> compare(
      Path datasetDir, DatasetManifest manifest, HashEngine engine) {
    return compare(DatasetFiles.clear(datasetDir), manifest, engine);
  }

  /**
   * As {@link #compare(Path, DatasetManifest, HashEngine)}, for a dataset in clear or encrypted:
   * the roots are of the plaintext shards either way, an encrypted one decrypted as it streams.
   */
  public static List<Difference> compare(
      DatasetFiles files, DatasetManifest manifest, HashEngine engine) {
    List<String> names = manifest.sources().stream().map(SourceDigest::shard).toList();
    List<Long> sizes = names.stream().map(files::size).toList();
    List<Digest> roots;
    if (files instanceof DatasetFiles.Clear) {
      roots = roots(names.stream().map(files.folder()::resolve).toList(), sizes, engine);
    } else {
      roots = names.stream().map(name -> streamedRoot(files, name)).toList();
    }
    List<Difference> differences = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      SourceDigest source = manifest.sources().get(i);
      long size = sizes.get(i);
      if (size != source.shardSize() || !roots.get(i).matches(source.shardRoot())) {
        differences.add(
            new Difference(
                source.name(),
                source.shard(),
                source.shardSize(),
                source.shardRoot(),
                size,
                roots.get(i)));
      }
    }
    return differences;
  }

  /** The roots of {@code shards}, in order. */
  public static List<Digest> roots(List<Path> shards, HashEngine engine) {
    return roots(shards, shards.stream().map(ShardRoots::sizeOf).toList(), engine);
  }

  /** Hashes the shards in one call, so that the engine spreads them over its threads. */
  private static List<Digest> roots(List<Path> shards, List<Long> sizes, HashEngine engine) {
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      resources.add(
          new Resource(
              shards.get(i).getFileName().toString(),
              List.of(new FileRegion(shards.get(i), 0, sizes.get(i)))));
    }
    return engine.hash(resources, OPTIONS).stream().map(ResourceDigest::digest).toList();
  }

  /** A hasher of a shard's bytes as they stream, for shards that never lie in clear in a file. */
  static MerkleOutputStream newStreamHasher() {
    return new MerkleOutputStream(OPTIONS.algorithm(), OPTIONS.leafSize());
  }

  /** The root of what {@code hasher} hashed, named as the manifest names shard roots. */
  static Digest rootOf(MerkleOutputStream hasher) {
    return new Digest(OPTIONS.digestName(), hasher.root());
  }

  private static Digest streamedRoot(DatasetFiles files, String name) {
    MerkleOutputStream hasher = newStreamHasher();
    try (InputStream in = files.open(name)) {
      in.transferTo(hasher);
    } catch (IOException e) {
      throw PathProblems.classify(files.folder().resolve(name), e);
    }
    return rootOf(hasher);
  }

  static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }
}
