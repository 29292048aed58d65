package org.sentryml.core.signing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sentryml.core.attestation.StatementCodec;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestBuilder;
import org.sentryml.core.manifest.MalformedSafetensorsException;
import org.sentryml.core.manifest.ManifestDiff;
import org.sentryml.core.manifest.ModelSnapshot;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.manifest.Serialization;

/**
 * Verifies a model against its signature file: the signature first, then every parameter of the
 * signed manifest (before a byte of the model is read), then the recomputed digests.
 */
public final class ModelVerification {
  private ModelVerification() {}

  /** The outcome: the signed manifest and its differences from the model on disk. */
  public record Result(Manifest expected, ManifestDiff diff) {
    public boolean ok() {
      return diff.isEmpty();
    }
  }

  /**
   * @param allowSymlinks follow links inside the model folder even if the signer did not (links
   *     never leave the folder either way)
   */
  public static Result verify(
      Path model,
      Path signatureFile,
      StatementVerifier verifier,
      List<String> extraIgnorePaths,
      boolean allowSymlinks,
      HashEngine engine) {
    Manifest expected = signedManifest(model, signatureFile, verifier, extraIgnorePaths, allowSymlinks);
    List<Resource> resources = planOnDisk(model, expected);
    return compare(expected, resources, engine);
  }

  /**
   * Reads every file the signed manifest covers into private memory once, verifies those buffers
   * and hands out exactly them, so that nothing can change between the check and the use (DESIGN
   * §1.3). For models that fit in memory (each file under 2 GiB).
   *
   * @return the outcome and, keyed by relative path, the verified contents (empty when the model
   *     does not match)
   */
  public static LoadedModel verifyAndLoad(Path model, Path signatureFile, StatementVerifier verifier, HashEngine engine) {
    Manifest expected = signedManifest(model, signatureFile, verifier, List.of(), false);
    List<Resource> onDisk = planOnDisk(model, expected);
    ModelSnapshot snapshot = ModelSnapshot.read(model, onDisk);
    Result result = compare(expected, snapshot.resources(), engine);
    return new LoadedModel(result, result.ok() ? snapshot.files() : Map.of());
  }

  /** A verified model's outcome and the in-memory bytes that were verified. */
  public record LoadedModel(Result result, Map<String, ByteBuffer> files) {}

  private static Manifest signedManifest(
      Path model, Path signatureFile, StatementVerifier verifier, List<String> extraIgnorePaths, boolean allowSymlinks) {
    byte[] bundle = BoundedFiles.read(signatureFile, BoundedFiles.MAX_BUNDLE_BYTES, "signature file");
    byte[] statement = verifier.verify(bundle);
    List<String> ignore = new ArrayList<>(extraIgnorePaths);
    ignore.addAll(ModelSigning.ignoredSignature(model, signatureFile));
    Manifest signed;
    try {
      signed = StatementCodec.decode(statement, ignore);
    } catch (SentryException e) {
      throw e.withContext(signatureFile.toString());
    }
    Serialization s = signed.serialization();
    Serialization widened =
        new Serialization(s.method(), s.hashType(), s.shardSize(), s.leafSize(),
            s.workflow(), s.allowSymlinks() || allowSymlinks, s.ignorePaths());
    return new Manifest(signed.modelName(), widened, signed.resources(), signed.root());
  }

  /**
   * The resources of the model as it is on disk now. A safetensors file whose header no longer
   * describes it exactly cannot be the file that was signed (signing refuses such files), so it
   * fails verification rather than reading as bad input.
   */
  private static List<Resource> planOnDisk(Path model, Manifest expected) {
    try {
      return ManifestBuilder.plan(model, expected.serialization());
    } catch (MalformedSafetensorsException e) {
      throw new VerificationFailedException("verification failed: " + e.getMessage() + "; it cannot be the file that was signed", e);
    }
  }

  private static Result compare(Manifest expected, List<Resource> resources, HashEngine engine) {
    Manifest actual = ManifestBuilder.hash(expected.modelName(), resources, expected.serialization(), engine);
    return new Result(expected, ManifestDiff.between(expected.resources(), actual.resources()));
  }
}
