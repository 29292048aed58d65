package org.sentryml.confidential.tee;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;

/**
 * The TDX and SEV-SNP attester of Linux guests: it asks the kernel's TSM for a quote or report
 * through configfs-tsm (Documentation/ABI/testing/configfs-tsm, Linux 6.7 and later). In a report
 * entry {@code <root>/<name>/}, it reads {@code provider} ({@code tdx_guest} or {@code sev_guest})
 * and {@code generation}, writes the 64-byte report data to {@code inblob}, waits for {@code
 * generation} to count that one write, reads {@code outblob} (the quote or report), and reads
 * {@code generation} again: any other count means another writer used the entry meanwhile, and the
 * outblob may answer someone else's inblob, so the attempt fails instead. The entry is created if
 * missing (on configfs, {@code mkdir} makes the kernel create its attributes) and kept for the next
 * attestation; give each process an entry name of its own.
 *
 * <p>An SNP report's VCEK is not part of the evidence: the verifier is given it separately.
 * Thread-safe: attestations through one attester take turns.
 */
public final class ConfigfsTsmAttester implements Attester {
  /** Where the kernel mounts the interface. */
  public static final Path KERNEL_ROOT = Path.of("/sys/kernel/config/tsm/report");

  /** The largest outblob the kernel writes (TSM_OUTBLOB_MAX). */
  static final int MAX_OUTBLOB_BYTES = 32 << 10;

  private static final int MAX_ATTRIBUTE_BYTES = 64;
  private static final long POLL_MILLIS = 5;

  private final Path root;
  private final Path entry;
  private final Duration timeout;
  private final Object turn = new Object();

  /**
   * @param root the configfs-tsm report folder, {@link #KERNEL_ROOT} outside tests
   * @param entryName this process's report entry, a plain name
   * @param timeout how long to wait for the provider to take the inblob (the kernel answers at
   *     once; the bound keeps a stuck provider from hanging the caller)
   */
  public ConfigfsTsmAttester(Path root, String entryName, Duration timeout) {
    this.root = Objects.requireNonNull(root, "root");
    if (!entryName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "a configfs-tsm entry name is a plain name, not '" + entryName + "'");
    }
    this.entry = root.resolve(entryName);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public Evidence evidence(String nonce, String teePubkeyJwk) {
    byte[] reportData = RuntimeData.reportData(nonce, teePubkeyJwk, 64).toByteArray();
    synchronized (turn) {
      if (!Files.isDirectory(root)) {
        throw new BackendUnavailableException(
            "no configfs-tsm report interface at "
                + root
                + ": TDX and SEV-SNP evidence needs a confidential guest running Linux 6.7 or later with configfs mounted");
      }
      try {
        Files.createDirectories(entry);
      } catch (IOException e) {
        throw PathProblems.classifyWrite(entry, e);
      }
      EvidenceType type = providerType(attribute("provider"));
      long before = generation();
      try {
        // The kernel makes the attributes; an entry without an inblob is refused, not completed.
        Files.write(
            entry.resolve("inblob"),
            reportData,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        throw PathProblems.classifyWrite(entry.resolve("inblob"), e);
      }
      awaitGeneration(before + 1);
      byte[] outblob = read(entry.resolve("outblob"), MAX_OUTBLOB_BYTES);
      long after = generation();
      if (after != before + 1) {
        throw conflict(before, after);
      }
      if (outblob.length == 0) {
        throw new IoFailureException(
            "the " + type.id() + " provider wrote an empty outblob in " + entry);
      }
      return Evidence.of(type, outblob);
    }
  }

  private static EvidenceType providerType(byte[] provider) {
    String name = new String(provider, StandardCharsets.US_ASCII).strip();
    return switch (name) {
      case "tdx_guest" -> EvidenceType.TDX;
      case "sev_guest" -> EvidenceType.SNP;
      default ->
          throw new BackendUnavailableException(
              "the configfs-tsm provider is '"
                  + name
                  + "'; Sentry verifies tdx_guest (TDX quotes) and sev_guest (SEV-SNP reports)");
    };
  }

  /** Waits until the provider has counted the inblob write; refuses a count past it. */
  private void awaitGeneration(long expected) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen = generation();
    while (seen < expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new IoFailureException(
            String.format(
                Locale.ROOT,
                "the configfs-tsm provider did not take the inblob in %s within %s (generation still %d)",
                entry,
                timeout,
                seen));
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IoFailureException(
            "interrupted while waiting for the configfs-tsm provider in " + entry, e);
      }
      seen = generation();
    }
    if (seen != expected) {
      throw conflict(expected - 1, seen);
    }
  }

  private long generation() {
    String text = new String(attribute("generation"), StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IoFailureException(
          "configfs-tsm generation in " + entry + " is not a number: '" + text + "'", e);
    }
  }

  private IoFailureException conflict(long before, long after) {
    return new IoFailureException(
        String.format(
            Locale.ROOT,
            "another writer used the configfs-tsm entry %s while Sentry attested (generation %d became %d, one write was Sentry's); "
                + "the outblob may answer another inblob, so it is not used: give each process its own entry",
            entry,
            before,
            after));
  }

  private byte[] attribute(String name) {
    Path file = entry.resolve(name);
    try {
      return read(file, MAX_ATTRIBUTE_BYTES);
    } catch (PathException e) {
      if (e.kind() == PathException.Kind.NOT_FOUND) {
        throw new BackendUnavailableException(
            entry
                + " has no '"
                + name
                + "' attribute: "
                + root
                + " is not a configfs-tsm report folder",
            e);
      }
      throw e;
    }
  }

  /** Reads an attribute; configfs reports no sizes, so the bound is on the bytes read. */
  private static byte[] read(Path file, int maxBytes) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new IoFailureException(file + " holds more than " + maxBytes + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }
}
