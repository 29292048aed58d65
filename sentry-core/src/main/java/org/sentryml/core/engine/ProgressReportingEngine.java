package org.sentryml.core.engine;

import java.util.List;
import java.util.function.LongConsumer;
import org.sentryml.core.io.TaskProgress;

/**
 * Wraps an engine so that every hashing call shows its progress in bytes; small jobs (under {@link
 * #THRESHOLD} bytes) show nothing, as a bar would only flicker.
 */
public final class ProgressReportingEngine implements HashEngine {
  /** Jobs smaller than this finish before a bar is worth drawing. */
  public static final long THRESHOLD = 256L << 20;

  private final HashEngine engine;
  private final TaskProgress progress;

  private ProgressReportingEngine(HashEngine engine, TaskProgress progress) {
    this.engine = engine;
    this.progress = progress;
  }

  public static HashEngine wrap(HashEngine engine, TaskProgress progress) {
    return progress.equals(TaskProgress.NONE)
        ? engine
        : new ProgressReportingEngine(engine, progress);
  }

  @Override
  public String description() {
    return engine.description();
  }

  @Override
  public List<ResourceDigest> hash(List<Resource> resources, HashingOptions options) {
    long total = resources.stream().mapToLong(Resource::size).sum();
    if (total < THRESHOLD) {
      return engine.hash(resources, options);
    }
    progress.start("hashing", total, "bytes");
    try {
      return engine.hash(resources, options, progress::advance);
    } finally {
      progress.finish();
    }
  }

  @Override
  public List<ResourceDigest> hash(
      List<Resource> resources, HashingOptions options, LongConsumer bytesDone) {
    return engine.hash(resources, options, bytesDone);
  }

  @Override
  public void close() {
    engine.close();
  }
}
