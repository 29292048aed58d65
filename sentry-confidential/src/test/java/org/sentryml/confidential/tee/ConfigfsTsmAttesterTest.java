package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.IoFailureException;

/** The configfs-tsm attester against a fake report tree, with a thread that plays the kernel. */
class ConfigfsTsmAttesterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path root;
  private FakeTsm kernel;

  @AfterEach
  void stopKernel() throws InterruptedException {
    if (kernel != null) {
      kernel.interrupt();
      kernel.join();
    }
  }

  @Test
  void tdxProviderGivesTheQuoteForTheBoundReportData() throws Exception {
    byte[] quote = AttestationVectors.bytes("tdx/tdx_quote_5.dat");
    Path entry = entry("sentry", "tdx_guest");
    kernel = new FakeTsm(entry, quote, 1);
    kernel.start();
    Evidence evidence =
        new ConfigfsTsmAttester(root, "sentry", TIMEOUT)
            .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK);
    assertEquals(EvidenceType.TDX, evidence.type());
    assertArrayEquals(quote, evidence.report().toByteArray());
    assertEquals(
        RuntimeData.reportData(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK, 64),
        Octets.of(kernel.inblob.get()),
        "the inblob the kernel was given is the KBS report data");
    assertEquals("1", Files.readString(entry.resolve("generation")).strip());

    // The entry stays and serves the next attestation.
    Evidence again =
        new ConfigfsTsmAttester(root, "sentry", TIMEOUT)
            .evidence("another nonce", RuntimeDataTest.EC_JWK);
    assertArrayEquals(quote, again.report().toByteArray());
    assertEquals(
        RuntimeData.reportData("another nonce", RuntimeDataTest.EC_JWK, 64),
        Octets.of(kernel.inblob.get()));
  }

  @Test
  void sevGuestProviderGivesAnSnpReport() throws Exception {
    byte[] report = AttestationVectors.bytes("snp/test-report.bin");
    kernel = new FakeTsm(entry("sentry", "sev_guest\n"), report, 1);
    kernel.start();
    Evidence evidence =
        new ConfigfsTsmAttester(root, "sentry", TIMEOUT)
            .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK);
    assertEquals(EvidenceType.SNP, evidence.type());
    assertArrayEquals(report, evidence.report().toByteArray());
  }

  @Test
  void anotherWriterOnTheEntryFailsTheAttestation() throws Exception {
    kernel =
        new FakeTsm(
            entry("shared", "tdx_guest"), AttestationVectors.bytes("tdx/tdx_quote_4.dat"), 2);
    kernel.start();
    IoFailureException conflict =
        assertThrows(
            IoFailureException.class,
            () ->
                new ConfigfsTsmAttester(root, "shared", TIMEOUT)
                    .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK));
    assertTrue(conflict.getMessage().contains("another writer"), conflict.getMessage());
  }

  @Test
  void aProviderThatNeverAnswersTimesOut() throws Exception {
    entry("sentry", "tdx_guest");
    IoFailureException timeout =
        assertThrows(
            IoFailureException.class,
            () ->
                new ConfigfsTsmAttester(root, "sentry", Duration.ofMillis(200))
                    .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK));
    assertTrue(timeout.getMessage().contains("did not take the inblob"), timeout.getMessage());
  }

  @Test
  void aMachineWithoutConfigfsTsmHasNoBackend() {
    BackendUnavailableException missing =
        assertThrows(
            BackendUnavailableException.class,
            () ->
                new ConfigfsTsmAttester(root.resolve("absent"), "sentry", TIMEOUT)
                    .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK));
    assertTrue(
        missing.getMessage().contains("no configfs-tsm report interface"), missing.getMessage());
  }

  @Test
  void aFolderThatIsNotAReportTreeHasNoBackend() {
    BackendUnavailableException notTsm =
        assertThrows(
            BackendUnavailableException.class,
            () ->
                new ConfigfsTsmAttester(root, "sentry", TIMEOUT)
                    .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK));
    assertTrue(notTsm.getMessage().contains("has no 'provider' attribute"), notTsm.getMessage());
  }

  @Test
  void anUnknownProviderHasNoBackend() throws Exception {
    entry("sentry", "arm_cca_guest");
    BackendUnavailableException unknown =
        assertThrows(
            BackendUnavailableException.class,
            () ->
                new ConfigfsTsmAttester(root, "sentry", TIMEOUT)
                    .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK));
    assertTrue(unknown.getMessage().contains("'arm_cca_guest'"), unknown.getMessage());
  }

  @Test
  void entryNamesArePlainNames() {
    assertThrows(
        IllegalArgumentException.class, () -> new ConfigfsTsmAttester(root, "../escape", TIMEOUT));
  }

  /** The attributes a report entry has after mkdir, as the kernel creates them. */
  private Path entry(String name, String provider) throws IOException {
    Path entry = Files.createDirectories(root.resolve(name));
    Files.writeString(entry.resolve("provider"), provider);
    Files.writeString(entry.resolve("generation"), "0\n");
    Files.write(entry.resolve("inblob"), new byte[0]);
    Files.write(entry.resolve("outblob"), new byte[0]);
    return entry;
  }

  /**
   * Plays the kernel's TSM: when a full 64-byte inblob appears that it has not answered, it writes
   * the outblob and then raises generation by {@code step} (1, as the kernel does for one write;
   * more, to stand for another writer). Files are replaced by rename, so that the attester never
   * reads one half-written.
   */
  private static final class FakeTsm extends Thread {
    final AtomicReference<byte[]> inblob = new AtomicReference<>();
    private final Path entry;
    private final byte[] outblob;
    private final int step;

    FakeTsm(Path entry, byte[] outblob, int step) {
      super("fake-tsm");
      setDaemon(true);
      this.entry = entry;
      this.outblob = outblob;
      this.step = step;
    }

    @Override
    public void run() {
      byte[] answered = new byte[0];
      try {
        while (!isInterrupted()) {
          byte[] written = Files.readAllBytes(entry.resolve("inblob"));
          if (written.length == 64 && !Arrays.equals(written, answered)) {
            inblob.set(written);
            replace("outblob", outblob);
            long generation = Long.parseLong(Files.readString(entry.resolve("generation")).strip());
            replace("generation", (generation + step + "\n").getBytes(StandardCharsets.US_ASCII));
            answered = written;
          }
          Thread.sleep(2);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void replace(String name, byte[] content) throws IOException {
      Path staged = entry.resolve(name + ".new");
      Files.write(staged, content);
      Files.move(
          staged,
          entry.resolve(name),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
