package org.sentryml.training.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reloads the served model when its files change: it polls a fingerprint (name, size, modification
 * time) of every file in the model folder and of {@code model.sig} and {@code provenance.sig}; once
 * a changed fingerprint has stayed the same for one more poll (a copy in progress is not verified
 * half-way), the new model is verified in the background and swapped in only if it verifies. A
 * refusal keeps the old model serving and is kept for {@code /v1/model}, counted in {@code
 * /metrics} and logged. {@code touch model.sig} asks for a re-verification without changing
 * anything. Polling rather than SIGHUP: the JDK exposes signals only through {@code
 * sun.misc.Signal} (jdk.unsupported, refused by this build), and a poll also sees files that a
 * Kubernetes volume or an orchestrator swaps in without signalling.
 */
public final class ModelReloader implements AutoCloseable {
  /** The last reload attempt that did not verify. */
  public record Refusal(Instant at, String reason) {}

  /** What {@code /v1/model} reports about reloading. */
  public record Status(
      long reloads, long refusals, Optional<Instant> lastReload, Optional<Refusal> lastRefusal) {}

  private final List<Path> watched;
  private final Supplier<ServedModel> loader;
  private final ModelHolder models;
  private final ServingMetrics metrics;
  private final Consumer<String> log;
  private final Clock clock;
  private final Duration interval;
  private final AtomicReference<Status> status =
      new AtomicReference<>(new Status(0, 0, Optional.empty(), Optional.empty()));
  private final Thread poller;
  private List<String> served;
  private List<String> pending;

  /**
   * @param watched the model folder and the signature files (folders are listed recursively)
   * @param loader verifies and builds the model now on disk; throws when it does not verify
   */
  public ModelReloader(
      List<Path> watched,
      Supplier<ServedModel> loader,
      ModelHolder models,
      ServingMetrics metrics,
      Consumer<String> log,
      Clock clock,
      Duration interval) {
    this.watched = List.copyOf(watched);
    this.loader = loader;
    this.models = models;
    this.metrics = metrics;
    this.log = log;
    this.clock = clock;
    this.interval = interval;
    this.served = fingerprint();
    this.pending = served;
    this.poller = Thread.ofPlatform().name("sentry-reloader").daemon().unstarted(this::poll);
    if (!interval.isZero()) {
      poller.start();
    }
  }

  public Status status() {
    return status.get();
  }

  private void poll() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(interval);
        checkOnce();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One poll: when the fingerprint differs from the served model's and equals the previous poll's,
   * verifies and swaps. Package-visible so that tests can step it.
   */
  void checkOnce() {
    List<String> now = fingerprint();
    if (now.equals(served)) {
      pending = now;
      return;
    }
    if (!now.equals(pending)) {
      pending = now;
      return;
    }
    served = now;
    reload();
  }

  private void reload() {
    Instant at = clock.instant();
    ServedModel next;
    try {
      next = loader.get();
    } catch (RuntimeException e) {
      // Whatever the failure (a signature, a file, the engine), the old model keeps serving.
      Status before = status.get();
      Refusal refusal = new Refusal(at, e.getMessage());
      status.set(
          new Status(
              before.reloads(), before.refusals() + 1, before.lastReload(), Optional.of(refusal)));
      metrics.reload("refused");
      log.accept("reload refused; the previous model keeps serving: " + e.getMessage());
      return;
    }
    String previous = models.current().root();
    models.swap(next);
    metrics.servedModel(next.root());
    metrics.reload("ok");
    Status before = status.get();
    status.set(
        new Status(before.reloads() + 1, before.refusals(), Optional.of(at), before.lastRefusal()));
    log.accept("reloaded: now serving sha256:" + next.root() + " (was sha256:" + previous + ")");
  }

  private List<String> fingerprint() {
    List<String> entries = new ArrayList<>();
    for (Path path : watched) {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.sorted().forEach(file -> entries.add(entry(file)));
        } catch (IOException | UncheckedIOException e) {
          entries.add(path + " unreadable: " + e.getMessage());
        }
      } else {
        entries.add(entry(path));
      }
    }
    return entries;
  }

  private static String entry(Path file) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return file + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return file + " absent";
    }
  }

  @Override
  public void close() {
    poller.interrupt();
    try {
      if (poller.isAlive()) {
        poller.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
