package org.sentryml.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.hashing.Hasher;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.SerializationMethod;
import org.sentryml.core.tree.MerkleBuilder;
import org.sentryml.core.tree.MerkleHashes;

/**
 * Lazy range verification: the leaf digests of a leaf sidecar, each resource's checked once against
 * its digest in a verified manifest (their RFC 6962 root must equal it), after which any byte range
 * of the resource is verified by hashing only the leaves that cover it.
 *
 * <p>Thread-safe; a resource's leaves are read and checked on its first use.
 */
public final class SignedLeaves implements AutoCloseable {
  /** Where the bytes of a resource's stream come from: fills {@code target} from {@code offset}. */
  @FunctionalInterface
  public interface ByteSource {
    void read(long offset, ByteBuffer target);
  }

  /**
   * A verified range.
   *
   * @param firstLeaf the index of the first covering leaf
   * @param leaves how many leaves were hashed
   * @param bytesHashed the bytes read and hashed: the covering leaves, whole
   */
  public record RangeCheck(
      String resource, long start, long end, long firstLeaf, long leaves, long bytesHashed) {}

  private final Path sidecar;
  private final FileChannel channel;
  private final LeafSidecar.Header header;
  private final Map<String, ResourceDigest> signed = new HashMap<>();
  private final Map<String, byte[]> verified = new HashMap<>();

  private SignedLeaves(
      Path sidecar, FileChannel channel, LeafSidecar.Header header, Manifest manifest) {
    this.sidecar = sidecar;
    this.channel = channel;
    this.header = header;
    manifest.resources().forEach(r -> signed.put(r.name(), r));
  }

  /**
   * Opens {@code sidecar} for {@code manifest}, which must come from a verified signature (see
   * {@link Models#signedManifest}): its method must be {@code merkle} with the sidecar's algorithm
   * and leaf size, and the sidecar may list only signed resources.
   */
  public static SignedLeaves open(Path sidecar, Manifest manifest) {
    FileChannel channel = LeafSidecar.open(sidecar);
    try {
      LeafSidecar.Header header = LeafSidecar.readHeader(channel, sidecar);
      var s = manifest.serialization();
      if (s.method() != SerializationMethod.MERKLE
          || s.hashType() != header.algorithm()
          || s.leafSize() != header.leafSize()) {
        throw new VerificationFailedException(
            String.format(
                Locale.ROOT,
                "verification failed: leaf sidecar %s holds %s leaves of %d bytes, the signature"
                    + " signs %s",
                sidecar,
                header.algorithm().id(),
                header.leafSize(),
                s.resourceAlgorithm()));
      }
      SignedLeaves leaves = new SignedLeaves(sidecar, channel, header, manifest);
      for (String name : header.entries().keySet()) {
        if (!leaves.signed.containsKey(name)) {
          throw new VerificationFailedException(
              "verification failed: leaf sidecar "
                  + sidecar
                  + " lists "
                  + name
                  + ", which is not signed");
        }
      }
      return leaves;
    } catch (IOException e) {
      closeQuietly(channel);
      throw PathProblems.classify(sidecar, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Whether the sidecar lists {@code resource}. */
  public boolean covers(String resource) {
    return header.entries().containsKey(resource);
  }

  /** The signed size of {@code resource}, as the sidecar records it (checked by its leaves). */
  public long size(String resource) {
    return entry(resource).size();
  }

  /**
   * Verifies bytes {@code [start, end)} of {@code resource}'s stream, reading from {@code source}
   * only the leaves that cover them.
   *
   * @throws org.sentryml.core.errors.SentryException {@link VerificationFailedException} naming the
   *     first leaf that differs, or when the sidecar's leaves do not hash to the signed digest
   */
  public RangeCheck verify(String resource, long start, long end, ByteSource source) {
    LeafSidecar.Entry entry = entry(resource);
    if (start < 0 || end < start || end > entry.size()) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "range [%d, %d) is not inside %s (%d bytes)",
              start,
              end,
              resource,
              entry.size()));
    }
    byte[] leaves = leaves(entry);
    int leafSize = header.leafSize();
    int digestLength = header.algorithm().digestLength();
    long first = start / leafSize;
    long last = end == start ? first : (end - 1) / leafSize + 1;
    Hasher hasher = header.algorithm().newHasher();
    ByteBuffer buffer = ByteBuffer.allocate(leafSize);
    long hashed = 0;
    for (long leaf = first; leaf < last; leaf++) {
      long from = leaf * leafSize;
      int length = (int) Math.min(leafSize, entry.size() - from);
      buffer.clear().limit(length);
      source.read(from, buffer);
      buffer.flip();
      byte[] actual = MerkleHashes.leaf(hasher, buffer);
      hashed += length;
      if (!MessageDigest.isEqual(
          actual,
          java.util.Arrays.copyOfRange(
              leaves, (int) (leaf * digestLength), (int) (leaf * digestLength + digestLength)))) {
        throw new VerificationFailedException(
            String.format(
                Locale.ROOT,
                "verification failed: bytes [%d, %d) of %s differ from the signed ones (leaf %d)",
                from,
                from + length,
                resource,
                leaf));
      }
    }
    return new RangeCheck(resource, start, end, first, last - first, hashed);
  }

  /**
   * The leaf digests of {@code resource}, checked against its signed digest: what re-signing takes
   * over for a file that did not change, instead of hashing it again.
   */
  public byte[] verifiedLeaves(String resource) {
    return leaves(entry(resource)).clone();
  }

  private LeafSidecar.Entry entry(String resource) {
    LeafSidecar.Entry entry = header.entries().get(resource);
    if (entry == null) {
      throw new UsageException("leaf sidecar " + sidecar + " has no leaves for " + resource);
    }
    return entry;
  }

  /** The resource's leaf digests, checked against the signed digest on first use. */
  private synchronized byte[] leaves(LeafSidecar.Entry entry) {
    byte[] known = verified.get(entry.name());
    if (known != null) {
      return known;
    }
    byte[] digests;
    try {
      digests = LeafSidecar.readDigests(channel, header, entry, sidecar);
    } catch (IOException e) {
      throw PathProblems.classify(sidecar, e);
    }
    HashAlgorithm algorithm = header.algorithm();
    int length = algorithm.digestLength();
    MerkleBuilder tree = new MerkleBuilder(algorithm);
    for (int at = 0; at < digests.length; at += length) {
      tree.addLeafHash(java.util.Arrays.copyOfRange(digests, at, at + length));
    }
    ResourceDigest expected = signed.get(entry.name());
    if (!MessageDigest.isEqual(tree.root(), expected.digest().value())) {
      throw new VerificationFailedException(
          "verification failed: the leaves of "
              + entry.name()
              + " in "
              + sidecar
              + " do not hash to its signed digest");
    }
    verified.put(entry.name(), digests);
    return digests;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Read-only: nothing is lost.
    }
  }
}
