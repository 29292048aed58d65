package org.sentryml.cli;

import org.sentryml.core.errors.UsageException;

/** {@code --threads N} of the encryption commands: 0 means one per core, at most four per core. */
final class Threads {
  private Threads() {}

  static int of(int requested) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (requested < 0 || requested > 4 * cores) {
      throw new UsageException(
          "--threads must be from 0 (one per core) to " + 4 * cores + ", not " + requested);
    }
    return requested == 0 ? cores : requested;
  }
}
