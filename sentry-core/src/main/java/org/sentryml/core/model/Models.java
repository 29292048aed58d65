package org.sentryml.core.model;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentryml.core.attestation.StatementCodec;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.engine.ResourceLeaves;
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
import org.sentryml.core.manifest.ModelFile;
import org.sentryml.core.manifest.ModelWalker;
import org.sentryml.core.manifest.ResourcePlanner;
import org.sentryml.core.manifest.Serialization;
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
    return sign(plan, signer, signatureFile, replace, engine, SignOptions.none()).manifest();
  }

  /**
   * As {@link #sign(ModelPlan, StatementSigner, Path, boolean, OnDemandEngine)}, optionally writing
   * the leaf sidecar and reusing the digests of an earlier signature. The earlier signature is
   * verified with the signer's own key first ({@link StatementSigner#ownSignatures}) and must use
   * the same serialization; its file may be {@code signatureFile} itself, which it then replaces. A
   * resource is re-hashed when its file is named in {@code changed}, is new, or (without {@code
   * changed}) its stat differs from the local {@link StatCache}; every other digest is taken from
   * the earlier signature. After signing, the stat cache is recorded.
   */
  public static Signed sign(
      ModelPlan plan,
      StatementSigner signer,
      Path signatureFile,
      boolean replace,
      OnDemandEngine engine,
      SignOptions options) {
    boolean replacesReused =
        options.reuse() != null
            && options
                .reuse()
                .toAbsolutePath()
                .normalize()
                .equals(signatureFile.toAbsolutePath().normalize());
    if (!replace && !replacesReused && Files.exists(signatureFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          "signature file " + signatureFile + " already exists; pass --force to replace it");
    }
    if (options.leaves() != null) {
      checkLeavesPossible(plan);
    }
    boolean keepLeaves = options.leaves() != null;
    List<ModelFile> files = SignReuse.files(plan);
    SignReuse.Outcome outcome;
    if (options.reuse() != null) {
      outcome =
          SignReuse.hash(
              plan, files, signer, options.reuse(), options.changed(), engine, keepLeaves);
    } else {
      List<ResourceLeaves> leaves = new ArrayList<>();
      Manifest manifest =
          keepLeaves
              ? Manifest.of(
                  plan.name(),
                  plan.serialization(),
                  hashKeepingLeaves(plan.resources(), plan.serialization(), engine, leaves::add))
              : manifest(plan, engine);
      outcome =
          new SignReuse.Outcome(
              manifest, plan.resources().stream().map(Resource::name).toList(), List.of(), leaves);
    }
    if (options.leaves() != null) {
      LeafSidecar.write(
          options.leaves(),
          plan.serialization().hashType(),
          plan.serialization().leafSize(),
          outcome.leaves());
    }
    byte[] signed = signer.sign(statementBytes(outcome.manifest()));
    try (AtomicFile file = AtomicFile.create(signatureFile)) {
      file.stream().write(signed);
      file.commit(replace || replacesReused);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(signatureFile, e);
    }
    boolean cached = StatCache.record(plan.model(), files, signed);
    return new Signed(outcome.manifest(), outcome.hashed(), outcome.reused(), cached);
  }

  private static void checkLeavesPossible(ModelPlan plan) {
    if (plan.serialization().method() != org.sentryml.core.manifest.SerializationMethod.MERKLE
        || plan.serialization().workflow() == Workflow.COALESCED) {
      throw new UsageException(
          "--leaves needs the merkle method with the layered or inplace workflow, not "
              + plan.serialization().method().id()
              + "/"
              + plan.serialization().workflow().id());
    }
  }

  /**
   * The digests of {@code resources}, hashed on the CPU engine (the one that keeps leaves), each
   * resource's leaves handed to {@code leaves} in order.
   */
  static List<ResourceDigest> hashKeepingLeaves(
      List<Resource> resources,
      Serialization serialization,
      OnDemandEngine engine,
      java.util.function.Consumer<ResourceLeaves> leaves) {
    String algorithm = serialization.resourceAlgorithm();
    org.sentryml.core.engine.HashEngine opened = engine.get();
    org.sentryml.core.engine.CpuEngine cpu =
        opened instanceof org.sentryml.core.engine.CpuEngine own
            ? own
            : new org.sentryml.core.engine.CpuEngine(Runtime.getRuntime().availableProcessors());
    try {
      return cpu.hashKeepingLeaves(resources, serialization.hashingOptions(), leaves).stream()
          .map(r -> r.renamed(algorithm))
          .toList();
    } finally {
      if (cpu != opened) {
        cpu.close();
      }
    }
  }

  /**
   * The verified manifest a signature file signs: the signature checked, then every parameter of
   * the manifest, without reading the model (for {@link SignedLeaves#open} and range checks).
   */
  public static Manifest signedManifest(
      Path model,
      Path signatureFile,
      StatementVerifier verifier,
      List<String> extraIgnorePaths,
      boolean allowSymlinks) {
    return SignedManifests.read(model, signatureFile, verifier, extraIgnorePaths, allowSymlinks);
  }

  /**
   * Verifies bytes {@code [start, end)} of the model file {@code file} (its name relative to the
   * model, {@code "."} for a single-file model) by hashing only the leaves that cover them, against
   * the leaf sidecar checked against the verified signature. Nothing else of the model is read.
   */
  public static FileRangeVerification verifyRange(
      Path model,
      Path signatureFile,
      StatementVerifier verifier,
      Path leavesFile,
      List<String> extraIgnorePaths,
      boolean allowSymlinks,
      String file,
      long start,
      long end) {
    Manifest expected =
        SignedManifests.read(model, signatureFile, verifier, extraIgnorePaths, allowSymlinks);
    try (SignedLeaves leaves = SignedLeaves.open(leavesFile, expected)) {
      ModelPlan plan =
          new ModelPlan(
              model,
              expected.modelName(),
              expected.serialization(),
              SignedManifests.planOnDisk(model, expected));
      return FileRanges.verify(model, plan, leaves, file, start, end);
    }
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
   * Verifies only the named resources of the model: the signature and every parameter of the signed
   * manifest are checked as by {@link #verify}, then only the selected resources are read and
   * hashed. A name selects the resource of that name and every resource of the file of that name
   * (its tensors and header in the inplace workflow, its shards).
   *
   * @throws SentryException a {@link org.sentryml.core.errors.VerificationFailedException} when a
   *     name selects no signed resource (nothing can vouch for it)
   */
  public static PartialVerification verifyOnly(
      Path model,
      Path signatureFile,
      StatementVerifier verifier,
      List<String> extraIgnorePaths,
      boolean allowSymlinks,
      List<String> names,
      OnDemandEngine engine) {
    ResourceSelection selection = ResourceSelection.of(names);
    Manifest expected =
        SignedManifests.read(model, signatureFile, verifier, extraIgnorePaths, allowSymlinks);
    List<String> unsigned =
        selection.unmatched(expected.resources().stream().map(ResourceDigest::name).toList());
    if (!unsigned.isEmpty()) {
      throw new org.sentryml.core.errors.VerificationFailedException(
          "verification failed: "
              + String.join(", ", unsigned)
              + (unsigned.size() == 1 ? " is" : " are")
              + " not covered by the signature "
              + signatureFile);
    }
    List<ResourceDigest> wanted = selection.filter(expected.resources(), ResourceDigest::name);
    List<Resource> resources =
        selection.filter(SignedManifests.planOnDisk(model, expected), Resource::name);
    Manifest actual =
        manifest(
            new ModelPlan(
                Path.of(expected.modelName()),
                expected.modelName(),
                expected.serialization(),
                resources),
            engine);
    return new PartialVerification(
        expected,
        wanted.stream().map(ResourceDigest::name).toList(),
        expected.resources().size() - wanted.size(),
        ManifestDiff.between(wanted, actual.resources()));
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

  /**
   * The leaf sidecar's name beside the signature relative to the model folder, if it lies inside
   * it. Verification always leaves it out (an unsigned file never counts as part of the model; a
   * signed file of that name then reads as missing, which fails closed).
   */
  public static List<String> ignoredSidecar(Path model, Path signatureFile) {
    return ignoredSignature(model, LeafSidecar.besides(signatureFile.toAbsolutePath()));
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
