package org.sentryml.training.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, replaced atomically: every batch runs wholly on the model it read at its
 * start, and a replaced model is closed only by the thread that runs the batches, after its batch,
 * so no forward pass ever runs on a closed network. Thread-safe.
 */
public final class ModelHolder implements AutoCloseable {
  private final AtomicReference<ServedModel> current;
  private final List<ServedModel> retired = new ArrayList<>();

  public ModelHolder(ServedModel first) {
    this.current = new AtomicReference<>(first);
  }

  public ServedModel current() {
    return current.get();
  }

  /** Puts {@code next} in place; the model it replaces is closed at the next {@link #sweep}. */
  public void swap(ServedModel next) {
    ServedModel previous = current.getAndSet(next);
    synchronized (retired) {
      retired.add(previous);
    }
  }

  /** Closes the replaced models; called by the batch thread between batches. */
  void sweep() {
    List<ServedModel> closing;
    synchronized (retired) {
      closing = List.copyOf(retired);
      retired.clear();
    }
    closing.forEach(ServedModel::close);
  }

  @Override
  public void close() {
    sweep();
    current.get().close();
  }
}
