package org.sentryml.core.model;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentryml.core.attestation.StatementCodec;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestDiff;
import org.sentryml.core.manifest.ManifestRoot;
import org.sentryml.core.manifest.ModelWalker;
import org.sentryml.core.manifest.ResourcePlanner;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.signing.StatementSigner;
import org.sentryml.core.signing.StatementVerifier;

/**
 * The model facade: hash a model, sign it, verify it on disk, or verify it in the memory it will be
 * used from. Every operation plans the model (and checks its signature, when it has one) before it
 * asks its {@link OnDemandEngine} for an engine, so nothing is hashed — and no GPU or thread pool
 * is started — for a model or a signature that is already known to be unusable.
 */
public final class Models {
  private Models() {}

  /**
   * The digest of every resource of {@code model} under {@code workflow} and their root, as {@code
   * sentry hash} prints them.
   */
  public static ModelDigests hash(
      Path model,
      IgnoreRules ignore,
      boolean allowSymlinks,
      Workflow workflow,
      HashingOptions options,
      OnDemandEngine engine) {
    List<Resource> resources =
        ResourcePlanner.plan(
            new ModelWalker(ignore, allowSymlinks).listNonEmpty(model, "hash"), workflow);
    List<ResourceDigest> digests = engine.get().hash(resources, options);
    Digest root = ManifestRoot.of(digests.stream().map(ResourceDigest::digest).toList());
    return new ModelDigests(model, options.digestName(), digests, root);
  }

  /** The manifest of a planned model: each resource hashed as its serialization says. */
  public static Manifest manifest(ModelPlan plan, OnDemandEngine engine) {
    String algorithm = plan.serialization().resourceAlgorithm();
    List<ResourceDigest> digests =
        engine.get().hash(plan.resources(), plan.serialization().hashingOptions()).stream()
            .map(r -> r.renamed(algorithm))
            .toList();
    return Manifest.of(plan.name(), plan.serialization(), digests);
  }

  /**
   * Signs a planned model into {@code signatureFile}, which appears complete or not at all (a
   * temporary file beside it, flushed and renamed).
   *
   * @param replace whether an existing signature file may be replaced; when false and one exists,
   *     nothing is hashed or written and the call fails with a {@link UsageException} (checked
   *     again, atomically, when the file is put in place)
   */
  public static Manifest sign(
      ModelPlan plan,
      StatementSigner signer,
      Path signatureFile,
      boolean replace,
      OnDemandEngine engine) {
    if (!replace && Files.exists(signatureFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          "signature file " + signatureFile + " already exists; pass --force to replace it");
    }
    Manifest manifest = manifest(plan, engine);
    byte[] signed = signer.sign(statementBytes(manifest));
    try (AtomicFile file = AtomicFile.create(signatureFile)) {
      file.stream().write(signed);
      file.commit(replace);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(signatureFile, e);
    }
    return manifest;
  }

  /**
   * The statement's bytes as signed: compact JSON, fields in a fixed order. The bytes are decoded
   * again by the verifier's own decoder first, so that nothing is signed that verification would
   * refuse (a name with a backslash, two resources of one name, an ignore path with {@code ..}).
   *
   * @throws MalformedInputException naming what verification would refuse
   */
  public static byte[] statementBytes(Manifest manifest) {
    String json =
        new GsonBuilder().disableHtmlEscaping().create().toJson(StatementCodec.encode(manifest));
    byte[] statement = json.getBytes(StandardCharsets.UTF_8);
    try {
      StatementCodec.decode(statement, List.of());
    } catch (SentryException e) {
      throw new MalformedInputException(
          "cannot sign "
              + manifest.modelName()
              + ": verification would refuse its statement: "
              + e.getMessage(),
          e);
    }
    return statement;
  }

  /**
   * Verifies the model on disk against its signature file: the signature first, then every
   * parameter of the signed manifest (before a byte of the model is read), then the digests.
   *
   * @param extraIgnorePaths paths to leave out besides those the signature records
   * @param allowSymlinks follow links inside the model folder even if the signer did not
   */
  public static Verification verify(
      Path model,
      Path signatureFile,
      StatementVerifier verifier,
      List<String> extraIgnorePaths,
      boolean allowSymlinks,
      OnDemandEngine engine) {
    Manifest expected =
        SignedManifests.read(model, signatureFile, verifier, extraIgnorePaths, allowSymlinks);
    List<Resource> resources = SignedManifests.planOnDisk(model, expected);
    return new Verification(expected, compare(expected, resources, engine));
  }

  /**
   * Reads every file the signed manifest covers into private memory once, verifies those buffers
   * and hands out exactly them, so that nothing can change between the check and the use (DESIGN
   * §1.3). For models that fit in memory (each file under 2 GiB).
   */
  public static LoadedModel verifyAndLoad(
      Path model, Path signatureFile, StatementVerifier verifier, OnDemandEngine engine) {
    Manifest expected = SignedManifests.read(model, signatureFile, verifier, List.of(), false);
    ModelSnapshot snapshot = ModelSnapshot.read(model, SignedManifests.planOnDisk(model, expected));
    ManifestDiff diff = compare(expected, snapshot.resources(), engine);
    return diff.isEmpty()
        ? new LoadedModel.Verified(expected, snapshot.files())
        : new LoadedModel.Rejected(expected, diff);
  }

  /**
   * As {@link #verifyAndLoad(Path, Path, StatementVerifier, OnDemandEngine)}, for a model whose
   * files are already in private memory (decrypted there, DESIGN §8): the signature first, then the
   * digests of exactly these buffers, which are handed out when they match. A file the signed
   * manifest does not cover, or one it covers that {@code files} lacks, is a difference.
   *
   * @param name the model's name, which the signed statement must carry as its subject
   * @param files every file of the model by its relative POSIX path
   */
  public static LoadedModel verifyAndLoad(
      String name,
      Map<String, ByteBuffer> files,
      Path signatureFile,
      StatementVerifier verifier,
      OnDemandEngine engine) {
    Manifest expected =
        SignedManifests.read(Path.of(name), signatureFile, verifier, List.of(), false);
    ModelPlan plan = ModelPlan.inMemory(name, files, expected.serialization());
    ManifestDiff diff = compare(expected, plan.resources(), engine);
    Map<String, ByteBuffer> covered = new LinkedHashMap<>();
    plan.resources().forEach(r -> covered.put(r.name(), files.get(r.name()).asReadOnlyBuffer()));
    return diff.isEmpty()
        ? new LoadedModel.Verified(expected, covered)
        : new LoadedModel.Rejected(expected, diff);
  }

  /**
   * The signature file's name relative to the model folder, if it lies inside it (to be ignored).
   */
  public static List<String> ignoredSignature(Path model, Path signatureFile) {
    Path root = model.toAbsolutePath().normalize();
    Path signature = signatureFile.toAbsolutePath().normalize();
    if (!Files.isDirectory(root) || !signature.startsWith(root)) {
      return List.of();
    }
    return List.of(root.relativize(signature).toString().replace('\\', '/'));
  }

  private static ManifestDiff compare(
      Manifest expected, List<Resource> resources, OnDemandEngine engine) {
    Manifest actual =
        manifest(
            new ModelPlan(
                Path.of(expected.modelName()),
                expected.modelName(),
                expected.serialization(),
                resources),
            engine);
    return ManifestDiff.between(expected.resources(), actual.resources());
  }
}
