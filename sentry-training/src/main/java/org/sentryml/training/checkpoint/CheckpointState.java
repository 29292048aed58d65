package org.sentryml.training.checkpoint;

import com.google.gson.JsonObject;
import java.util.Map;
import org.sentryml.data.dataset.LoaderCursor;
import org.sentryml.data.dataset.SourceLattices;
import org.sentryml.training.ml.ClassifierSession;

/**
 * Everything a run needs to continue after step {@code step} as if it had not stopped.
 *
 * @param runId the run's id (random, 128 bits, hex)
 * @param step training steps taken since the start of the run
 * @param epoch the epoch in progress (from 1)
 * @param cursor where the epoch's training pass stands
 * @param lattices the epoch's partial lattice sums: every sample handed out so far in this epoch
 * @param progress the trainer's own figures (epoch statistics so far), opaque here
 * @param seed the run's base seed
 * @param threads the engine's thread count
 * @param versions sentry, DJL and engine versions, by name
 * @param training parameters and optimizer state, by parameter name
 */
public record CheckpointState(
    String runId,
    long step,
    int epoch,
    LoaderCursor cursor,
    SourceLattices lattices,
    JsonObject progress,
    long seed,
    int threads,
    Map<String, String> versions,
    ClassifierSession.Snapshot training) {
  public CheckpointState {
    progress = progress.deepCopy();
    versions = Map.copyOf(versions);
  }

  @Override
  public JsonObject progress() {
    return progress.deepCopy();
  }
}
