package org.sentryml.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.signing.PrivateKeySigner;
import org.sentryml.core.signing.PublicKeyVerifier;
import org.sentryml.testkit.TestFiles;

/**
 * Re-signing reuses only digests of a verified earlier signature, re-hashes what changed, and gives
 * the same manifest as a full signing.
 */
class ResignWithReuseTest {
  private static final CpuEngine ENGINE = new CpuEngine(2);
  private static final Serialization MERKLE =
      Serialization.merkle(HashAlgorithm.SHA256, 4096, Workflow.LAYERED, false, List.of());

  @TempDir Path dir;
  private KeyPair keys;
  private String cacheBefore;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    keys = generator.generateKeyPair();
    cacheBefore = System.getProperty("sentry.stat.cache");
    System.setProperty("sentry.stat.cache", dir.resolve("stat-cache").toString());
  }

  @org.junit.jupiter.api.AfterEach
  void restore() {
    if (cacheBefore == null) {
      System.clearProperty("sentry.stat.cache");
    } else {
      System.setProperty("sentry.stat.cache", cacheBefore);
    }
  }

  private static OnDemandEngine shared() {
    return new OnDemandEngine(() -> ENGINE);
  }

  /** A model whose files' timestamps lie well in the past, so the stat cache may trust them. */
  private Path model() throws Exception {
    Path model = dir.resolve("model");
    TestFiles.write(model.resolve("weights.bin"), TestFiles.randomBytes(1, 100_000));
    TestFiles.write(model.resolve("README.md"), "v1".getBytes(StandardCharsets.UTF_8));
    backdate(model.resolve("weights.bin"));
    backdate(model.resolve("README.md"));
    Thread.sleep(StatCache.RACY_NANOS / 1_000_000 + 100); // ctime cannot be backdated
    return model;
  }

  private static void backdate(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
  }

  private Signed sign(Path model, Path signature, Path reuse, List<String> changed) {
    return sign(model, signature, reuse, changed, null);
  }

  private Signed signWithLeaves(Path model, Path signature, Path reuse, List<String> changed) {
    return sign(model, signature, reuse, changed, LeafSidecar.besides(signature));
  }

  private Signed sign(Path model, Path signature, Path reuse, List<String> changed, Path leaves) {
    return Models.sign(
        ModelPlan.of(model, MERKLE),
        new PrivateKeySigner(keys.getPrivate()),
        signature,
        true,
        shared(),
        new SignOptions(leaves, reuse, changed));
  }

  @Test
  void theStatCacheReHashesOnlyTheEditedFileAndTheResultEqualsAFullSigning() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    sign(model, signature, null, null);
    Files.writeString(model.resolve("README.md"), "v2, longer");
    Signed again = sign(model, signature, signature, null);
    assertEquals(List.of("README.md"), again.hashed());
    assertEquals(List.of("weights.bin"), again.reused());
    Manifest full = Models.manifest(ModelPlan.of(model, MERKLE), shared());
    assertEquals(full.root(), again.manifest().root());
    assertTrue(
        Models.verify(
                model,
                signature,
                new PublicKeyVerifier(keys.getPublic()),
                List.of(),
                false,
                shared())
            .ok());
  }

  @Test
  void changedFilesAndNewFilesAreHashedTheRestReused() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    sign(model, signature, null, null);
    TestFiles.write(model.resolve("added.txt"), "new".getBytes(StandardCharsets.UTF_8));
    Signed again = sign(model, dir.resolve("new.sig"), signature, List.of("README.md"));
    assertEquals(List.of("README.md", "added.txt"), again.hashed());
    assertEquals(List.of("weights.bin"), again.reused());
  }

  @Test
  void withoutACacheBoundToTheEarlierSignatureEverythingIsHashed() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    sign(model, signature, null, null);
    Files.delete(StatCache.location(model));
    Signed again = sign(model, signature, signature, null);
    assertEquals(2, again.hashed().size());
    assertEquals(List.of(), again.reused());
  }

  @Test
  void aTamperedEarlierSignatureIsRefusedBeforeAnythingIsReused() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    sign(model, signature, null, null);
    String bundle = Files.readString(signature);
    int at = bundle.indexOf("\"payload\":\"") + 20;
    char c = bundle.charAt(at);
    Files.writeString(
        signature, bundle.substring(0, at) + (c == 'A' ? 'B' : 'A') + bundle.substring(at + 1));
    SentryException e =
        assertThrows(
            SentryException.class, () -> sign(model, dir.resolve("new.sig"), signature, null));
    assertTrue(
        e instanceof VerificationFailedException
            || e instanceof org.sentryml.core.errors.MalformedInputException,
        e.toString());
    assertTrue(Files.notExists(dir.resolve("new.sig")));
  }

  @Test
  void anEarlierSignatureByAnotherKeyIsRefused() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    sign(model, signature, null, null);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair other = generator.generateKeyPair();
    assertThrows(
        VerificationFailedException.class,
        () ->
            Models.sign(
                ModelPlan.of(model, MERKLE),
                new PrivateKeySigner(other.getPrivate()),
                dir.resolve("new.sig"),
                true,
                shared(),
                new SignOptions(null, signature, null)));
  }

  @Test
  void anotherSerializationCannotReuseDigests() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    sign(model, signature, null, null);
    assertThrows(
        UsageException.class,
        () ->
            Models.sign(
                ModelPlan.of(
                    model,
                    Serialization.merkle(
                        HashAlgorithm.SHA256, 8192, Workflow.LAYERED, false, List.of())),
                new PrivateKeySigner(keys.getPrivate()),
                dir.resolve("new.sig"),
                true,
                shared(),
                new SignOptions(null, signature, null)));
  }

  @Test
  void reSigningWithLeavesTakesTheUnchangedFilesLeavesFromTheEarlierSidecar() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    signWithLeaves(model, signature, null, null);
    Files.writeString(model.resolve("README.md"), "v2, longer");
    Signed again = signWithLeaves(model, signature, signature, null);
    assertEquals(List.of("README.md"), again.hashed());
    assertEquals(List.of("weights.bin"), again.reused());
    byte[] reSigned = Files.readAllBytes(LeafSidecar.besides(signature));
    Path fresh = dir.resolve("fresh.sig");
    signWithLeaves(model, fresh, null, null);
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        Files.readAllBytes(LeafSidecar.besides(fresh)),
        reSigned,
        "the sidecar of a re-signing equals that of a full signing");
    Manifest manifest = Models.signedManifest(model, signature, publicKey(), List.of(), false);
    try (SignedLeaves leaves = SignedLeaves.open(LeafSidecar.besides(signature), manifest)) {
      assertTrue(leaves.covers("weights.bin") && leaves.covers("README.md"));
      leaves.verifiedLeaves("weights.bin");
    }
  }

  @Test
  void aFileTheEarlierSidecarDoesNotListIsHashedAgainForItsLeaves() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    sign(model, signature, null, null);
    Files.writeString(model.resolve("README.md"), "v2, longer");
    Signed again = signWithLeaves(model, signature, signature, null);
    assertEquals(List.of("README.md", "weights.bin"), again.hashed());
    assertEquals(List.of(), again.reused());
    assertTrue(Files.exists(LeafSidecar.besides(signature)));
  }

  @Test
  void aTamperedEarlierSidecarIsRefusedAndNothingIsWritten() throws Exception {
    Path model = model();
    Path signature = dir.resolve("model.sig");
    signWithLeaves(model, signature, null, null);
    Path sidecar = LeafSidecar.besides(signature);
    byte[] bytes = Files.readAllBytes(sidecar);
    bytes[bytes.length - 1] ^= 1;
    Files.write(sidecar, bytes);
    byte[] signatureBefore = Files.readAllBytes(signature);
    assertThrows(
        VerificationFailedException.class,
        () -> signWithLeaves(model, signature, signature, List.of("README.md")));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        signatureBefore, Files.readAllBytes(signature));
    org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, Files.readAllBytes(sidecar));
  }

  private org.sentryml.core.signing.StatementVerifier publicKey() {
    return new PublicKeyVerifier(keys.getPublic());
  }
}
