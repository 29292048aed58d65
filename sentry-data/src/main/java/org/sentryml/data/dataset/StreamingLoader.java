package org.sentryml.data.dataset;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Streams a prepared dataset's shards as shuffled batches and folds every sample into its source's
 * lattice as it is read (DESIGN §6): no separate hashing pass. Shuffling is two-level, as
 * WebDataset does it: the next sample comes from a shard drawn in proportion to what it has left,
 * through a shuffle buffer, so memory stays bounded however large the shards are. At most {@link
 * #MAX_OPEN_SHARDS} shards are open at once (in index order, the next opening as one ends), so
 * descriptors stay bounded however many sources there are.
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
    return new Pass(splits, batchSize, new SplittableRandom(seed), hashing);
  }

  /** A pass in progress: an iterator of batches; close it to release the shard files. */
  public final class Pass implements Iterator<List<Sample>>, AutoCloseable {
    private final Set<String> splits;
    private final Set<String> indexed = Set.copyOf(index.splits());
    private final int batchSize;
    private final SplittableRandom random;
    private final boolean hashing;
    private final Queue<DatasetIndex.IndexedSource> waiting = new ArrayDeque<>();
    private final List<OpenShard> open = new ArrayList<>();
    private final List<Sample> buffer = new ArrayList<>();
    private final SourceLattices lattices = new SourceLattices();
    private long remainingWeight;
    private long hashingNanos;
    private List<Sample> next;

    private Pass(Set<String> splits, int batchSize, SplittableRandom random, boolean hashing) {
      this.splits = Set.copyOf(splits);
      this.batchSize = batchSize;
      this.random = random;
      this.hashing = hashing;
      for (DatasetIndex.IndexedSource source : index.sources()) {
        splits.forEach(split -> lattices.expect(source.name(), split));
        waiting.add(source);
      }
      openWaiting();
    }

    /** Opens waiting shards until {@link #MAX_OPEN_SHARDS} are open or none waits. */
    private void openWaiting() {
      try {
        while (open.size() < MAX_OPEN_SHARDS && !waiting.isEmpty()) {
          DatasetIndex.IndexedSource source = waiting.remove();
          long expected = source.splits().values().stream().mapToLong(Long::longValue).sum();
          open.add(new OpenShard(source.name(), new ShardReader(files, source.shard()), expected));
          remainingWeight += Math.max(1, expected);
        }
      } catch (RuntimeException e) {
        close();
        throw e;
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
      open.forEach(shard -> shard.reader.close());
      open.clear();
    }

    private List<Sample> fill() {
      List<Sample> batch = new ArrayList<>(batchSize);
      while (batch.size() < batchSize) {
        while (buffer.size() < shuffleBuffer && readOne()) {
          // fill the shuffle buffer from the shards
        }
        if (buffer.isEmpty()) {
          break;
        }
        int pick = random.nextInt(buffer.size());
        Sample chosen = buffer.get(pick);
        buffer.set(pick, buffer.get(buffer.size() - 1));
        buffer.remove(buffer.size() - 1);
        batch.add(chosen);
      }
      return batch.isEmpty() ? null : batch;
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
          if (hashing) {
            long started = System.nanoTime();
            lattices.add(shard.source, sample);
            hashingNanos += System.nanoTime() - started;
          }
          buffer.add(sample);
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

  private static final class OpenShard {
    final String source;
    final ShardReader reader;
    long remaining;

    OpenShard(String source, ShardReader reader, long expected) {
      this.source = source;
      this.reader = reader;
      this.remaining = expected;
    }

    /** At least 1, so a shard holding more than its index says still gets drawn. */
    long weight() {
      return Math.max(1, remaining);
    }
  }
}
