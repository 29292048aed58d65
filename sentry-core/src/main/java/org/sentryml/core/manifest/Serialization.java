package org.sentryml.core.manifest;

import java.util.List;
import java.util.Locale;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.tree.Topology;

/**
 * Every parameter of a manifest's serialization, as recorded in the signed predicate. Validated at
 * construction, so values read from an untrusted bundle are checked before a byte is hashed.
 *
 * @param hashType the per-resource hash (for {@code lattice}, always blake2xb)
 * @param shardSize bytes per shard ({@code shards} only, else 0)
 * @param leafSize leaf or chunk size ({@code merkle} and {@code lattice} only, else 0)
 * @param workflow how files become resources ({@code merkle} and {@code lattice}; {@code files} and
 *     {@code shards} are always per file)
 * @param ignorePaths relative paths left out of the model, in canonical order
 */
public record Serialization(
    SerializationMethod method,
    HashAlgorithm hashType,
    long shardSize,
    int leafSize,
    Workflow workflow,
    boolean allowSymlinks,
    List<String> ignorePaths) {

  /** model_signing's default shard size. */
  public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;

  public Serialization {
    ignorePaths = ignorePaths.stream().sorted(CanonicalOrder.NAMES).distinct().toList();
    switch (method) {
      case FILES, SHARDS -> {
        if (hashType != HashAlgorithm.SHA256 && hashType != HashAlgorithm.BLAKE2B) {
          throw invalid(
              "the " + method.id() + " method hashes with sha256 or blake2b, not " + hashType.id());
        }
        if (method == SerializationMethod.SHARDS && shardSize <= 0) {
          throw invalid("shard size must be positive, not " + shardSize);
        }
        workflow = Workflow.LAYERED;
      }
      case MERKLE, LATTICE -> {
        new HashingOptions(
            topology(method), hashType, leafSize); // validates leaf size and algorithm
      }
    }
    if (method != SerializationMethod.SHARDS) {
      shardSize = 0;
    }
    if (method.oms()) {
      leafSize = 0;
    }
  }

  public static Serialization files(
      HashAlgorithm hashType, boolean allowSymlinks, List<String> ignorePaths) {
    return new Serialization(
        SerializationMethod.FILES, hashType, 0, 0, Workflow.LAYERED, allowSymlinks, ignorePaths);
  }

  public static Serialization shards(
      HashAlgorithm hashType, long shardSize, boolean allowSymlinks, List<String> ignorePaths) {
    return new Serialization(
        SerializationMethod.SHARDS,
        hashType,
        shardSize,
        0,
        Workflow.LAYERED,
        allowSymlinks,
        ignorePaths);
  }

  public static Serialization merkle(
      HashAlgorithm hashType,
      int leafSize,
      Workflow workflow,
      boolean allowSymlinks,
      List<String> ignorePaths) {
    return new Serialization(
        SerializationMethod.MERKLE, hashType, 0, leafSize, workflow, allowSymlinks, ignorePaths);
  }

  public static Serialization lattice(
      int leafSize, Workflow workflow, boolean allowSymlinks, List<String> ignorePaths) {
    return new Serialization(
        SerializationMethod.LATTICE,
        HashAlgorithm.BLAKE2XB,
        0,
        leafSize,
        workflow,
        allowSymlinks,
        ignorePaths);
  }

  /** What the engine computes per resource. */
  public HashingOptions hashingOptions() {
    return method.oms()
        ? HashingOptions.flat(hashType)
        : new HashingOptions(topology(method), hashType, leafSize);
  }

  /** The digest name recorded for each resource, e.g. {@code sha256-sharded-1000000000}. */
  public String resourceAlgorithm() {
    return method == SerializationMethod.SHARDS
        ? String.format(Locale.ROOT, "%s-sharded-%d", hashType.id(), shardSize)
        : hashingOptions().digestName();
  }

  private static Topology topology(SerializationMethod method) {
    return method == SerializationMethod.LATTICE ? Topology.LATTICE : Topology.MERKLE;
  }

  private static SentryException invalid(String message) {
    return new UsageException(message);
  }
}
