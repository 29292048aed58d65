package org.sentryml.data.dataset;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Streams a prepared dataset's shards as shuffled batches and folds every sample into its source's
 * lattice as it is read (DESIGN §6): no separate hashing pass. Shuffling is two-level, as
 * WebDataset does it: the next sample comes from a shard drawn in proportion to what it has left,
 * through a shuffle buffer, so memory stays bounded however large the shards are. At most {@link
 * #MAX_OPEN_SHARDS} shards are open at once (in index order, the next opening as one ends), so
 * descriptors stay bounded however many sources there are.
 *
 * <p>Batch {@code b} of a pass draws from its own generator, seeded from the pass seed and {@code
 * b} ({@link #batchSeed}), and a sample is folded into its lattice when it leaves the shuffle
 * buffer into a batch. So a pass can stop after any batch and continue in another process from its
 * {@link LoaderCursor} and its partial lattices ({@link #resume}), giving the same batches the
 * uninterrupted pass would have given, while the lattices cover exactly the samples handed out.
 *
 * <p>Every shard is read to its end on every pass, whatever splits are asked for, so a sample added
 * to a shard is always seen; samples of other splits are skipped, not hashed, and are hashed in the
 * pass that asks for their split. A sample of a split that the index does not list would be hashed
 * by no pass, so it fails the pass (exit 1, naming the shard and the member) rather than being
 * skipped.
 */
public final class StreamingLoader {
  /** Samples held for shuffling; bounds memory at this many samples. */
  public static final int DEFAULT_SHUFFLE_BUFFER = 8192;

  /**
   * Shards read at the same time; the next waiting shard opens when one is exhausted, so a dataset
   * with more sources than the open-file limit still streams.
   */
  static final int MAX_OPEN_SHARDS = 64;

  private final DatasetFiles files;
  private final DatasetIndex index;
  private final int shuffleBuffer;

  public StreamingLoader(Path datasetDir, DatasetIndex index) {
    this(DatasetFiles.clear(datasetDir), index, DEFAULT_SHUFFLE_BUFFER);
  }

  public StreamingLoader(Path datasetDir, DatasetIndex index, int shuffleBuffer) {
    this(DatasetFiles.clear(datasetDir), index, shuffleBuffer);
  }

  public StreamingLoader(DatasetFiles files, DatasetIndex index) {
    this(files, index, DEFAULT_SHUFFLE_BUFFER);
  }

  public StreamingLoader(DatasetFiles files, DatasetIndex index, int shuffleBuffer) {
    if (shuffleBuffer < 1) {
      throw new IllegalArgumentException("shuffle buffer must hold at least one sample");
    }
    this.files = files;
    this.index = index;
    this.shuffleBuffer = shuffleBuffer;
  }

  public DatasetIndex index() {
    return index;
  }

  /**
   * One pass over the samples of {@code splits}.
   *
   * @param seed with the same seed the same batches come out; another seed shuffles differently
   * @param hashing fold samples into lattices ({@code false} only to measure what hashing costs)
   */
  public Pass pass(Set<String> splits, int batchSize, long seed, boolean hashing) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
    return new Pass(splits, batchSize, seed, hashing, null, new SourceLattices());
  }

  /**
   * Continues a pass that {@link Pass#cursor()} described after its last batch, with the same
   * splits, batch size, seed and hashing: the shards are reopened and read up to the cursor's
   * positions (the samples read before are not hashed again: {@code lattices}, the pass's partial
   * lattices at the cursor, already hold those that were handed out), and the shuffle buffer is
   * refilled with the samples it held.
   *
   * @throws MalformedInputException when the cursor does not fit this dataset's index
   */
  public Pass resume(
      Set<String> splits,
      int batchSize,
      long seed,
      boolean hashing,
      LoaderCursor cursor,
      SourceLattices lattices) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
    cursor.checkFits(index);
    SourceLattices copy = new SourceLattices();
    copy.addAll(lattices);
    return new Pass(splits, batchSize, seed, hashing, cursor, copy);
  }

  /**
   * The seed of batch {@code batch} of a pass seeded {@code passSeed}: SplitMix64's finaliser over
   * both, so neighbouring batches and passes get unrelated generators.
   */
  public static long batchSeed(long passSeed, long batch) {
    long z = passSeed * 0x9E3779B97F4A7C15L + batch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A pass in progress: an iterator of batches; close it to release the shard files. */
  public final class Pass implements Iterator<List<Sample>>, AutoCloseable {
    private final Set<String> splits;
    private final Set<String> indexed = Set.copyOf(index.splits());
    private final int batchSize;
    private final long seed;
    private final boolean hashing;
    private final Queue<Integer> waiting = new ArrayDeque<>();
    private final List<OpenShard> open = new ArrayList<>();
    private final List<Buffered> buffer = new ArrayList<>();
    private final SourceLattices lattices;
    private SplittableRandom random;
    private long batches;
    private long remainingWeight;
    private long hashingNanos;
    private List<Sample> next;

    private Pass(
        Set<String> splits,
        int batchSize,
        long seed,
        boolean hashing,
        LoaderCursor cursor,
        SourceLattices lattices) {
      this.splits = Set.copyOf(splits);
      this.batchSize = batchSize;
      this.seed = seed;
      this.hashing = hashing;
      this.lattices = lattices;
      for (DatasetIndex.IndexedSource source : index.sources()) {
        splits.forEach(split -> lattices.expect(source.name(), split));
      }
      try {
        if (cursor == null) {
          for (int i = 0; i < index.sources().size(); i++) {
            waiting.add(i);
          }
          openWaiting();
        } else {
          restore(cursor);
        }
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    /** Opens waiting shards until {@link #MAX_OPEN_SHARDS} are open or none waits. */
    private void openWaiting() {
      try {
        while (open.size() < MAX_OPEN_SHARDS && !waiting.isEmpty()) {
          open(waiting.remove());
        }
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    private OpenShard open(int ordinal) {
      DatasetIndex.IndexedSource source = index.sources().get(ordinal);
      long expected = source.splits().values().stream().mapToLong(Long::longValue).sum();
      OpenShard shard = new OpenShard(ordinal, new ShardReader(files, source.shard()), expected);
      open.add(shard);
      remainingWeight += shard.weight();
      return shard;
    }

    /**
     * Where this pass stands after its last batch: how many batches it gave, which shards wait,
     * which are open and how far each is read, and which samples the shuffle buffer holds.
     *
     * @throws IllegalStateException while a batch is read ahead ({@link #hasNext} was called after
     *     the last {@link #next}), since that batch would be lost
     */
    public LoaderCursor cursor() {
      if (next != null) {
        throw new IllegalStateException("a batch is read ahead; take the cursor before hasNext");
      }
      List<LoaderCursor.Shard> shards = new ArrayList<>();
      for (OpenShard shard : open) {
        shards.add(new LoaderCursor.Shard(shard.ordinal, shard.read));
      }
      List<LoaderCursor.Member> held = new ArrayList<>();
      for (Buffered b : buffer) {
        held.add(new LoaderCursor.Member(b.ordinal, b.position));
      }
      return new LoaderCursor(batches, List.copyOf(waiting), shards, held);
    }

    /**
     * Reopens the cursor's shards in its order and reads each up to its position; samples the
     * buffer held are kept (from closed shards too, which are read up to the last such sample).
     */
    private void restore(LoaderCursor cursor) {
      batches = cursor.batches();
      waiting.addAll(cursor.waiting());
      Map<Long, Integer> slots = new HashMap<>();
      for (int i = 0; i < cursor.buffer().size(); i++) {
        LoaderCursor.Member m = cursor.buffer().get(i);
        slots.put(((long) m.shard() << 40) | m.position(), i);
        buffer.add(null);
      }
      Set<Integer> openOrdinals = new HashSet<>();
      for (LoaderCursor.Shard position : cursor.open()) {
        OpenShard shard = open(position.shard());
        openOrdinals.add(position.shard());
        skipTo(shard.ordinal, shard.reader, position.read(), slots);
        remainingWeight -= shard.weight();
        shard.read = position.read();
        shard.remaining -= position.read();
        remainingWeight += shard.weight();
      }
      Map<Integer, Long> closedNeeds = new TreeMap<>();
      for (LoaderCursor.Member m : cursor.buffer()) {
        if (!openOrdinals.contains(m.shard())) {
          closedNeeds.merge(m.shard(), m.position() + 1, Math::max);
        }
      }
      for (Map.Entry<Integer, Long> need : closedNeeds.entrySet()) {
        DatasetIndex.IndexedSource source = index.sources().get(need.getKey());
        try (ShardReader reader = new ShardReader(files, source.shard())) {
          skipTo(need.getKey(), reader, need.getValue(), slots);
        }
      }
      for (int i = 0; i < buffer.size(); i++) {
        if (buffer.get(i) == null) {
          LoaderCursor.Member m = cursor.buffer().get(i);
          throw new MalformedInputException(
              "the loader cursor names sample "
                  + m.position()
                  + " of "
                  + index.sources().get(m.shard()).shard()
                  + ", which the shard does not hold");
        }
      }
    }

    /** Reads {@code count} samples of a shard, keeping those the cursor's buffer held. */
    private void skipTo(int ordinal, ShardReader reader, long count, Map<Long, Integer> slots) {
      for (long position = 0; position < count; position++) {
        if (!reader.hasNext()) {
          throw new MalformedInputException(
              "the loader cursor is at sample "
                  + count
                  + " of "
                  + reader.shard()
                  + ", which holds only "
                  + position);
        }
        Sample sample = reader.next();
        Integer slot = slots.get(((long) ordinal << 40) | position);
        if (slot != null) {
          buffer.set(slot, new Buffered(sample, ordinal, position));
        }
      }
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = fill();
      }
      return next != null;
    }

    @Override
    public List<Sample> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      List<Sample> batch = next;
      next = null;
      return batch;
    }

    /** Time spent folding samples into lattices so far: the cost of on-the-fly hashing. */
    public double hashingSeconds() {
      return hashingNanos / 1e9;
    }

    /** Lattices of every (source, split) this pass covers; complete once the pass is exhausted. */
    public SourceLattices lattices() {
      return lattices;
    }

    @Override
    public void close() {
      waiting.clear();
      buffer.clear();
      open.forEach(shard -> shard.reader.close());
      open.clear();
    }

    private List<Sample> fill() {
      random = new SplittableRandom(batchSeed(seed, batches));
      List<Sample> batch = new ArrayList<>(batchSize);
      while (batch.size() < batchSize) {
        while (buffer.size() < shuffleBuffer && readOne()) {
          // fill the shuffle buffer from the shards
        }
        if (buffer.isEmpty()) {
          break;
        }
        int pick = random.nextInt(buffer.size());
        Buffered chosen = buffer.get(pick);
        buffer.set(pick, buffer.get(buffer.size() - 1));
        buffer.remove(buffer.size() - 1);
        if (hashing) {
          long started = System.nanoTime();
          lattices.add(index.sources().get(chosen.ordinal).name(), chosen.sample);
          hashingNanos += System.nanoTime() - started;
        }
        batch.add(chosen.sample);
      }
      if (batch.isEmpty()) {
        return null;
      }
      batches++;
      return batch;
    }

    /** Reads the next wanted sample from a shard drawn by weight; false when all are exhausted. */
    private boolean readOne() {
      while (!open.isEmpty()) {
        OpenShard shard = draw();
        if (!shard.reader.hasNext()) {
          shard.reader.close();
          open.remove(shard);
          remainingWeight -= shard.weight();
          openWaiting();
          continue;
        }
        Sample sample = shard.reader.next();
        long position = shard.read++;
        remainingWeight -= shard.weight();
        shard.remaining--;
        remainingWeight += shard.weight();
        if (!indexed.contains(sample.split())) {
          throw ShardReader.unaccounted(
              shard.reader.shard(),
              sample.key() + "." + sample.kind().extension(),
              "of split '" + sample.split() + "', which " + DatasetIndex.FILE + " does not list");
        }
        if (splits.contains(sample.split())) {
          buffer.add(new Buffered(sample, shard.ordinal, position));
          return true;
        }
      }
      return false;
    }

    private OpenShard draw() {
      long target = random.nextLong(Math.max(1, remainingWeight));
      for (OpenShard shard : open) {
        target -= shard.weight();
        if (target < 0) {
          return shard;
        }
      }
      return open.get(open.size() - 1);
    }
  }

  /** A sample in the shuffle buffer, with the shard (index ordinal) and position it came from. */
  private record Buffered(Sample sample, int ordinal, long position) {}

  private static final class OpenShard {
    final int ordinal;
    final ShardReader reader;
    long remaining;

    /** Samples read from the shard so far, of every split. */
    long read;

    OpenShard(int ordinal, ShardReader reader, long expected) {
      this.ordinal = ordinal;
      this.reader = reader;
      this.remaining = expected;
    }

    /** At least 1, so a shard holding more than its index says still gets drawn. */
    long weight() {
      return Math.max(1, remaining);
    }
  }
}
