package org.sentryml.core.engine;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.hashing.Blake2Xb;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.hashing.Hasher;
import org.sentryml.core.hashing.NativeSha256;
import org.sentryml.core.tree.LatticeElements;
import org.sentryml.core.tree.LtHash16;
import org.sentryml.core.tree.MerkleBuilder;
import org.sentryml.core.tree.MerkleHashes;

/**
 * The CPU engine: resources are cut into batches of whole leaves, batches are hashed on a pool of
 * threads (one per core by default), and the results are folded in stream order on the calling
 * thread. At most {@code 4 × threads} batches are in flight, each in a per-thread direct buffer, so
 * the footprint stays bounded however large the files are.
 */
public final class CpuEngine implements HashEngine {
  /**
   * Bytes hashed per task. SHA-256 trees map each task's window straight from the page cache, and 8
   * MiB windows make the mapping cost small (measured 1.35 s against 1.6 s for 1 MiB on 4 GiB).
   */
  static final int BATCH_BYTES = 1 << 23;

  /**
   * Bytes per read when a flat hash streams a file: small enough to stay in the core's L2 cache.
   */
  static final int READ_WINDOW = 1 << 20;

  /**
   * How SHA-256 trees read files that the native leaf hasher can map. The rule (measured on the
   * project's 2-vCPU VM, see docs/BENCHMARKS.md): {@code segments} wherever mapping works, since it
   * hashes the page cache in place with one unmap per segment; a file that cannot be mapped is read
   * into reused direct buffers instead. {@code -Dsentry.cpu.read=windows} (a mapping per batch, the
   * previous path) and {@code read} (positional reads into reused direct buffers, a copy per byte)
   * are kept for comparison by {@code sentry bench}.
   */
  enum ReadPath {
    SEGMENTS,
    WINDOWS,
    READ;

    static ReadPath configured() {
      String value = System.getProperty("sentry.cpu.read", "segments");
      for (ReadPath path : values()) {
        if (path.name().equalsIgnoreCase(value)) {
          return path;
        }
      }
      throw new IllegalArgumentException(
          "sentry.cpu.read must be segments, windows or read, not " + value);
    }
  }

  static final ReadPath READ_PATH = ReadPath.configured();

  private final int threads;
  private final ExecutorService pool;
  private final ThreadLocal<Worker> workers;

  public CpuEngine(int threads) {
    this.pool = DaemonPool.fixed("sentry-cpu", threads);
    this.threads = threads;
    this.workers = ThreadLocal.withInitial(Worker::new);
  }

  @Override
  public String description() {
    String sha256 =
        NativeSha256.available()
            ? "native SHA-256 leaves"
            : "JDK SHA-256 (" + NativeSha256.unavailableReason() + ")";
    return "cpu (" + threads + (threads == 1 ? " thread, " : " threads, ") + sha256 + ")";
  }

  @Override
  public List<ResourceDigest> hash(List<Resource> resources, HashingOptions options) {
    return hash(resources, options, bytes -> {});
  }

  @Override
  public List<ResourceDigest> hash(
      List<Resource> resources, HashingOptions options, LongConsumer bytesDone) {
    return hash(resources, options, bytesDone, null);
  }

  /**
   * As {@link #hash}, for a Merkle topology, also handing every resource's leaf digests to {@code
   * leaves}, in the order of {@code resources}, on the calling thread.
   */
  public List<ResourceDigest> hashKeepingLeaves(
      List<Resource> resources, HashingOptions options, Consumer<ResourceLeaves> leaves) {
    if (options.topology() != org.sentryml.core.tree.Topology.MERKLE) {
      throw new IllegalArgumentException("only Merkle trees have leaves");
    }
    return hash(resources, options, bytes -> {}, leaves);
  }

  private List<ResourceDigest> hash(
      List<Resource> resources,
      HashingOptions options,
      LongConsumer bytesDone,
      @Nullable Consumer<ResourceLeaves> leafSink) {
    boolean keepLeaves = leafSink != null;
    List<ResourceDigest> out = new ArrayList<>(resources.size());
    ArrayDeque<Pending> window = new ArrayDeque<>();
    int maxInFlight = threads * 4;
    boolean segmented =
        READ_PATH == ReadPath.SEGMENTS
            && options.topology() == org.sentryml.core.tree.Topology.MERKLE
            && options.algorithm() == HashAlgorithm.SHA256
            && NativeSha256.available();
    Folder folder = null;
    try (FileSegments segments = new FileSegments(Math.max(options.leafSize(), BATCH_BYTES))) {
      try {
        for (Resource resource : resources) {
          for (Batch batch : batches(resource, options)) {
            if (window.size() >= maxInFlight) {
              Pending done = window.removeFirst();
              folder = consume(done, folder, options, out, segments, leafSink);
              bytesDone.accept(done.batch().length());
            }
            FileRegion region = segmented ? fileWindow(batch) : null;
            FileSegments.Segment segment =
                region == null || region.length() == 0
                    ? null
                    : segments.acquire(region.file(), region.offset());
            window.addLast(
                new Pending(
                    batch,
                    segment,
                    CompletableFuture.supplyAsync(
                        () -> run(batch, region, segment, options, keepLeaves), pool)));
          }
        }
        while (!window.isEmpty()) {
          Pending done = window.removeFirst();
          folder = consume(done, folder, options, out, segments, leafSink);
          bytesDone.accept(done.batch().length());
        }
      } finally {
        // A failed batch leaves others running on mapped segments: they finish before any unmap.
        for (Pending pending : window) {
          pending.result().handle((result, failure) -> null).join();
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** A window {@code [start, start + length)} of one resource's stream. */
  private record Batch(Resource resource, long start, long length, boolean first, boolean last) {}

  /** A batch's subtrees and, when they are kept, its leaf digests (32 bytes each, in order). */
  private record WithLeaves(List<MerkleBuilder.Subtree> subtrees, byte[] leaves) {}

  private record Pending(
      Batch batch, FileSegments.@Nullable Segment segment, CompletableFuture<Object> result) {}

  private static List<Batch> batches(Resource resource, HashingOptions options) {
    long size = resource.size();
    if (options.topology() == org.sentryml.core.tree.Topology.FLAT || size == 0) {
      return List.of(new Batch(resource, 0, size, true, true));
    }
    long step = Math.max(options.leafSize(), BATCH_BYTES);
    List<Batch> batches = new ArrayList<>();
    for (long start = 0; start < size; start += step) {
      long length = Math.min(step, size - start);
      batches.add(new Batch(resource, start, length, start == 0, start + length == size));
    }
    return batches;
  }

  private Object run(
      Batch batch,
      @Nullable FileRegion region,
      FileSegments.@Nullable Segment segment,
      HashingOptions options,
      boolean keepLeaves) {
    Worker worker = workers.get();
    return switch (options.topology()) {
      case FLAT -> worker.flat(batch, options.algorithm());
      case MERKLE -> worker.subtrees(batch, region, segment, options, keepLeaves);
      case LATTICE -> worker.lattice(batch, options);
    };
  }

  private static Folder consume(
      Pending pending,
      Folder folder,
      HashingOptions options,
      List<ResourceDigest> out,
      FileSegments segments,
      @Nullable Consumer<ResourceLeaves> leafSink) {
    Object result;
    try {
      result = DaemonPool.join(pending.result());
    } finally {
      if (pending.segment() != null) {
        segments.release(pending.segment());
      }
    }
    Batch batch = pending.batch();
    Folder current = batch.first() ? new Folder(options) : folder;
    current.fold(result);
    if (batch.last()) {
      out.add(current.finish(batch.resource().name()));
      if (leafSink != null) {
        leafSink.accept(
            new ResourceLeaves(
                batch.resource().name(),
                batch.resource().size(),
                options.leafSize(),
                current.leaves.toByteArray()));
      }
      return null;
    }
    return current;
  }

  /** Folds the batch results of one resource, in stream order, into its digest. */
  private static final class Folder {
    private final HashingOptions options;
    private MerkleBuilder merkle;
    private final java.io.ByteArrayOutputStream leaves = new java.io.ByteArrayOutputStream();
    private LtHash16 lattice;
    private byte[] flat;

    Folder(HashingOptions options) {
      this.options = options;
      switch (options.topology()) {
        case MERKLE -> merkle = new MerkleBuilder(options.algorithm());
        case LATTICE -> lattice = new LtHash16();
        case FLAT -> flat = null;
      }
    }

    // instanceof rather than a pattern switch: the switch's bootstrap costs start-up time.
    @SuppressWarnings("unchecked")
    void fold(Object result) {
      if (result instanceof WithLeaves both) {
        leaves.write(both.leaves(), 0, both.leaves().length);
        fold(both.subtrees());
      } else if (result instanceof List<?> subtrees) {
        for (MerkleBuilder.Subtree subtree : (List<MerkleBuilder.Subtree>) subtrees) {
          merkle.addSubtree(subtree.root(), subtree.height());
        }
      } else if (result instanceof LtHash16 part) {
        lattice.add(part);
      } else {
        flat = (byte[]) result;
      }
    }

    ResourceDigest finish(String name) {
      return switch (options.topology()) {
        case FLAT -> new ResourceDigest(name, new Digest(options.digestName(), flat));
        case MERKLE -> new ResourceDigest(name, new Digest(options.digestName(), merkle.root()));
        case LATTICE ->
            new ResourceDigest(
                name, new Digest(options.digestName(), lattice.digest()), lattice.checksum());
      };
    }
  }

  /** Per-thread buffers and hashers, reused across batches. */
  private static final class Worker {
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_WINDOW);
    private final Map<HashAlgorithm, Hasher> hashers = new EnumMap<>(HashAlgorithm.class);
    private Blake2Xb expander;
    private ByteBuffer large;
    private byte[] scratch;

    private Hasher hasher(HashAlgorithm algorithm) {
      return hashers.computeIfAbsent(algorithm, HashAlgorithm::newHasher);
    }

    private ByteBuffer bufferFor(long length) {
      if (length <= buffer.capacity()) {
        return buffer.clear().limit((int) length);
      }
      if (large == null || large.capacity() < length) {
        large = ByteBuffer.allocateDirect((int) length);
      }
      return large.clear().limit((int) length);
    }

    byte[] flat(Batch batch, HashAlgorithm algorithm) {
      Hasher hasher = hasher(algorithm);
      long size = batch.length();
      for (long at = 0; at < size; at += buffer.capacity()) {
        ByteBuffer window = buffer.clear().limit((int) Math.min(buffer.capacity(), size - at));
        RegionReader.read(batch.resource().regions(), at, window);
        hasher.update(window.flip());
      }
      return hasher.digest();
    }

    /**
     * The roots of the perfect subtrees over this batch's leaves. Batches hold a power-of-two
     * number of leaves and start at a multiple of it, so a full batch is one perfect subtree.
     */
    Object subtrees(
        Batch batch,
        @Nullable FileRegion region,
        FileSegments.@Nullable Segment segment,
        HashingOptions options,
        boolean keepLeaves) {
      int leafSize = options.leafSize();
      int length = (int) batch.length();
      int count = (length + leafSize - 1) / leafSize;
      boolean nativeSha = options.algorithm() == HashAlgorithm.SHA256 && NativeSha256.available();
      if (nativeSha && (!keepLeaves || segment != null)) {
        byte[] packed = scratch(count * 32);
        byte[] leaves = keepLeaves ? new byte[count * 32] : null;
        int roots =
            segment != null && region != null
                ? segmentRoots(region, segment, leafSize, packed, leaves)
                : READ_PATH == ReadPath.READ ? -1 : mappedRoots(batch, leafSize, packed);
        if (roots < 0 && !keepLeaves) {
          return readRoots(batch, options.algorithm(), leafSize, packed);
        }
        if (roots >= 0) {
          List<MerkleBuilder.Subtree> out = unpack(packed, roots, count);
          return leaves == null ? out : new WithLeaves(out, leaves);
        }
      }
      ByteBuffer data = read(batch);
      Hasher hasher = hasher(options.algorithm());
      MerkleBuilder local = new MerkleBuilder(options.algorithm());
      java.io.ByteArrayOutputStream leaves =
          keepLeaves ? new java.io.ByteArrayOutputStream(count * 32) : null;
      for (int from = 0; from < length; from += leafSize) {
        data.limit(Math.min(from + leafSize, length)).position(from);
        byte[] leaf = MerkleHashes.leaf(hasher, data);
        local.addLeafHash(leaf);
        if (leaves != null) {
          leaves.write(leaf, 0, leaf.length);
        }
      }
      return leaves == null
          ? local.subtrees()
          : new WithLeaves(local.subtrees(), leaves.toByteArray());
    }

    /**
     * The subtrees of a batch that is read rather than mapped, one {@link #READ_WINDOW} at a time
     * into this worker's buffer: the copy out of the page cache stays in the core's L2 cache, where
     * the native hasher then reads it (reading the whole 8 MiB batch into one buffer made both the
     * copy and the hashing go to memory: 1.06 s of kernel time per 4 GiB instead of dd's 0.47 s).
     */
    private List<MerkleBuilder.Subtree> readRoots(
        Batch batch, HashAlgorithm algorithm, int leafSize, byte[] packed) {
      int window = Math.max(READ_WINDOW, leafSize); // both powers of two: whole leaves
      MerkleBuilder local = new MerkleBuilder(algorithm);
      for (long at = 0; at < batch.length(); at += window) {
        int length = (int) Math.min(window, batch.length() - at);
        ByteBuffer data = bufferFor(length);
        RegionReader.read(batch.resource().regions(), batch.start() + at, data);
        int roots = NativeSha256.subtreeRoots(data.flip(), 0, length, leafSize, packed);
        for (MerkleBuilder.Subtree subtree :
            unpack(packed, roots, (length + leafSize - 1) / leafSize)) {
          local.addSubtree(subtree.root(), subtree.height());
        }
      }
      return local.subtrees();
    }

    /**
     * The {@code roots} perfect subtrees the native hasher packed into {@code packed} for {@code
     * leaves} leaves, largest first: one per set bit of the leaf count.
     */
    private static List<MerkleBuilder.Subtree> unpack(byte[] packed, int roots, int leaves) {
      List<MerkleBuilder.Subtree> out = new ArrayList<>(roots);
      int remaining = leaves;
      for (int i = 0; i < roots; i++) {
        int height = 31 - Integer.numberOfLeadingZeros(remaining);
        out.add(new MerkleBuilder.Subtree(Arrays.copyOfRange(packed, 32 * i, 32 * i + 32), height));
        remaining -= 1 << height;
      }
      return out;
    }

    /**
     * Roots of a batch hashed from its segment's mapping; -1 when the file could not be mapped and
     * the batch must be read instead.
     */
    private int segmentRoots(
        FileRegion region,
        FileSegments.Segment segment,
        int leafSize,
        byte[] packed,
        byte @Nullable [] leaves) {
      NativeSha256.Mapping mapping = segment.mapping().orElse(null);
      if (mapping == null) {
        return -1;
      }
      long from = region.offset() - segment.start();
      if (from + region.length() > mapping.length()) {
        throw shorter(region);
      }
      int roots =
          NativeSha256.subtreeRootsOfSegment(
              mapping, from, (int) region.length(), leafSize, packed, leaves);
      if (NativeSha256.FileWindow.of(roots).orElse(null) == NativeSha256.FileWindow.TRUNCATED) {
        throw shorter(region);
      }
      return roots < 0 ? -1 : roots;
    }

    private static IoFailureException shorter(FileRegion region) {
      return new IoFailureException(
          "file " + region.file() + " became shorter while it was being hashed");
    }

    /**
     * Roots of a batch that lies in one file, hashed from a mapping of its window alone (see
     * NativeSha256.subtreeRootsOfFile); -1 when the batch must be read instead.
     */
    private int mappedRoots(Batch batch, int leafSize, byte[] packed) {
      FileRegion region = fileWindow(batch);
      if (region == null || batch.length() == 0) {
        return -1;
      }
      int roots =
          NativeSha256.subtreeRootsOfFile(
              region.file(), region.offset(), (int) region.length(), leafSize, packed);
      NativeSha256.FileWindow failure = NativeSha256.FileWindow.of(roots).orElse(null);
      if (failure == NativeSha256.FileWindow.SHORTER
          || failure == NativeSha256.FileWindow.TRUNCATED) {
        throw shorter(region);
      }
      return roots < 0 ? -1 : roots;
    }

    private byte[] scratch(int length) {
      if (scratch == null || scratch.length < length) {
        scratch = new byte[length];
      }
      return scratch;
    }

    LtHash16 lattice(Batch batch, HashingOptions options) {
      ByteBuffer data = read(batch);
      if (expander == null) {
        expander = LatticeElements.newExpander();
      }
      LtHash16 part = new LtHash16();
      int leafSize = options.leafSize();
      for (int from = 0; from < batch.length(); from += leafSize) {
        data.limit((int) Math.min(from + leafSize, batch.length())).position(from);
        part.addExpansion(LatticeElements.expandFileChunk(expander, batch.start() + from, data));
      }
      return part;
    }

    private ByteBuffer read(Batch batch) {
      ByteBuffer data = bufferFor(batch.length());
      RegionReader.read(batch.resource().regions(), batch.start(), data);
      return data.flip();
    }
  }

  /** The batch's window as one file region, or null when it spans regions or lies in memory. */
  private static @Nullable FileRegion fileWindow(Batch batch) {
    List<RegionReader.Piece> pieces =
        RegionReader.pieces(batch.resource().regions(), batch.start(), batch.length());
    if (pieces.isEmpty()) {
      return null;
    }
    RegionReader.Piece first = pieces.get(0);
    if (first.region() instanceof FileRegion file && first.count() == batch.length()) {
      return new FileRegion(file.file(), file.offset() + first.from(), batch.length());
    }
    return null;
  }
}
