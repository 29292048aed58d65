package org.sentryml.core.engine;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A hash engine that is opened only when the first byte is to be hashed. Every step that can fail
 * without hashing — listing and planning the model, reading and checking a signature — runs before
 * it, so a bad model or a forged signature never starts a GPU context or a thread pool. Closing
 * closes the engine only if it was opened. Not thread-safe; one per command.
 */
public final class OnDemandEngine implements AutoCloseable {
  private final Supplier<HashEngine> factory;
  private HashEngine engine;

  public OnDemandEngine(Supplier<HashEngine> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** The engine, opened now if this is the first use. */
  public HashEngine get() {
    if (engine == null) {
      engine = Objects.requireNonNull(factory.get(), "the engine factory returned null");
    }
    return engine;
  }

  /** Whether the engine was opened (for tests and for messages). */
  public boolean opened() {
    return engine != null;
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
  }
}
