package org.sentryml.core.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.attestation.StatementCodec;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.manifest.MalformedSafetensorsException;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.signing.StatementVerifier;

/**
 * Reads what a signature file signs: the bundle (bounded), its signature checked first, then every
 * parameter of the signed manifest — all before a byte of the model is read.
 */
final class SignedManifests {
  private SignedManifests() {}

  /**
   * @param extraIgnorePaths added to those the statement records (for bundles of model_signing
   *     releases that record none)
   * @param allowSymlinks follow links inside the model folder even if the signer did not (links
   *     never leave the folder either way)
   */
  static Manifest read(
      Path model,
      Path signatureFile,
      StatementVerifier verifier,
      List<String> extraIgnorePaths,
      boolean allowSymlinks) {
    byte[] bundle =
        BoundedFiles.read(signatureFile, BoundedFiles.MAX_BUNDLE_BYTES, "signature file");
    byte[] statement = verifier.verify(bundle);
    List<String> ignore = new ArrayList<>(extraIgnorePaths);
    ignore.addAll(Models.ignoredSignature(model, signatureFile));
    ignore.addAll(Models.ignoredSidecar(model, signatureFile));
    Manifest signed;
    try {
      signed = StatementCodec.decode(statement, ignore);
    } catch (SentryException e) {
      throw e.withContext(signatureFile.toString());
    }
    Serialization s = signed.serialization();
    Serialization widened =
        new Serialization(
            s.method(),
            s.hashType(),
            s.shardSize(),
            s.leafSize(),
            s.workflow(),
            s.allowSymlinks() || allowSymlinks,
            s.ignorePaths());
    return new Manifest(signed.modelName(), widened, signed.resources(), signed.root());
  }

  /**
   * The resources of the model as it is on disk now, planned as the signed manifest says. A
   * safetensors file whose header no longer describes it exactly cannot be the file that was signed
   * (signing refuses such files), so it fails verification rather than reading as bad input.
   */
  static List<Resource> planOnDisk(Path model, Manifest expected) {
    try {
      return ModelPlan.of(model, expected.serialization()).resources();
    } catch (MalformedSafetensorsException e) {
      throw new VerificationFailedException(
          "verification failed: " + e.getMessage() + "; it cannot be the file that was signed", e);
    }
  }
}
