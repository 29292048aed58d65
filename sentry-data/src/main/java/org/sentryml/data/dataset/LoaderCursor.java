package org.sentryml.data.dataset;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Where a {@link StreamingLoader.Pass} stands between two batches, enough to continue it in another
 * process ({@link StreamingLoader#resume}): the batches given so far (batch {@code b} draws from a
 * generator seeded by the pass seed and {@code b}, so no generator state is kept), the shards still
 * waiting to open and the open ones with how many samples each has read (in the order they were
 * opened, which the weighted shard draw depends on), and the samples in the shuffle buffer, in
 * buffer order, by shard and position. Shards are named by their ordinal in the dataset index.
 *
 * @param batches batches the pass has given
 * @param waiting shards (index ordinals) not yet opened, in opening order
 * @param open open shards in the pass's order, each with the samples read from it
 * @param buffer the shuffle buffer's samples, in buffer order
 */
public record LoaderCursor(
    long batches, List<Integer> waiting, List<Shard> open, List<Member> buffer) {
  /** An open shard and the samples (of every split) read from it. */
  public record Shard(int shard, long read) {}

  /** A buffered sample: the shard it came from and its position there (0 for the first). */
  public record Member(int shard, long position) {}

  public LoaderCursor {
    if (batches < 0) {
      throw new MalformedInputException("a loader cursor cannot be at batch " + batches);
    }
    waiting = List.copyOf(waiting);
    open = List.copyOf(open);
    buffer = List.copyOf(buffer);
  }

  /** Refuses a cursor that names shards the index does not have, twice, or positions below 0. */
  void checkFits(DatasetIndex index) {
    int shards = index.sources().size();
    Set<Integer> seen = new HashSet<>();
    for (int ordinal : waiting) {
      checkOrdinal(ordinal, shards);
      if (!seen.add(ordinal)) {
        throw new MalformedInputException("the loader cursor lists shard " + ordinal + " twice");
      }
    }
    for (Shard shard : open) {
      checkOrdinal(shard.shard(), shards);
      if (!seen.add(shard.shard()) || shard.read() < 0) {
        throw new MalformedInputException(
            "the loader cursor lists shard " + shard.shard() + " twice or at a negative position");
      }
    }
    Set<Long> held = new HashSet<>();
    for (Member member : buffer) {
      checkOrdinal(member.shard(), shards);
      if (member.position() < 0
          || member.position() >= 1L << 40
          || !held.add(((long) member.shard() << 40) | member.position())) {
        throw new MalformedInputException(
            "the loader cursor holds sample "
                + member.position()
                + " of shard "
                + member.shard()
                + " twice or at an impossible position");
      }
    }
  }

  private static void checkOrdinal(int ordinal, int shards) {
    if (ordinal < 0 || ordinal >= shards) {
      throw new MalformedInputException(
          "the loader cursor names shard " + ordinal + " of a dataset with " + shards);
    }
  }
}
