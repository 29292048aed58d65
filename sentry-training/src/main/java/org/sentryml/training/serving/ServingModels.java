package org.sentryml.training.serving;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.core.attestation.ProvenanceCodec;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.model.LoadedModel;
import org.sentryml.core.signing.StatementVerifier;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.pipeline.ModelLoading;
import org.sentryml.training.pipeline.SignatureFolder;

/**
 * Verifies a model for serving and builds it from the verified bytes: {@code model.sig} must verify
 * and match every file, and a {@code provenance.sig} beside it, when there is one, must verify and
 * bind this model's root. Anything else throws, and nothing of the model is built.
 */
public final class ServingModels {
  /** How the model's bytes are read and checked; {@link #source} gives the inferencer's. */
  @FunctionalInterface
  public interface Source {
    LoadedModel verifyAndLoad(
        Path modelDir, Path signatureFile, StatementVerifier verifier, OnDemandEngine engine);
  }

  /**
   * What the inferencer reads: a clear model folder, or an encrypted one decrypted into memory with
   * a key from {@code keys} and verified there.
   *
   * @param keys the key store; null when none was given (an encrypted model is then refused)
   */
  public static Source source(@Nullable DataKeys keys) {
    return (modelDir, signatureFile, verifier, engine) ->
        ModelLoading.verifyAndLoad(modelDir, signatureFile, keys, verifier, engine);
  }

  private ServingModels() {}

  /**
   * The model in {@code modelDir}, verified against {@code signatures}.
   *
   * @throws VerificationFailedException naming what differs (exit 1 at start, a refused reload
   *     later)
   * @throws org.sentryml.core.errors.SentryException BAD_INPUT or path kinds for unreadable input
   */
  public static ServedModel load(
      Path modelDir,
      SignatureFolder signatures,
      StatementVerifier verifier,
      OnDemandEngine engine,
      Source source,
      Clock clock) {
    LoadedModel loaded = source.verifyAndLoad(modelDir, signatures.model(), verifier, engine);
    String root = loaded.manifest().root().hex();
    if (!(loaded instanceof LoadedModel.Verified verified)) {
      throw new VerificationFailedException(
          modelDir
              + " does not match "
              + signatures.model()
              + ": "
              + String.join("; ", ((LoadedModel.Rejected) loaded).diff().describe()));
    }
    Optional<ProvenanceCodec.Provenance> provenance = provenance(signatures, verifier, root);
    ClassifierSession session = ClassifierSession.load(verified.files());
    return new ServedModel(
        modelDir, root, verifier.describe(), provenance, clock.instant(), session);
  }

  private static Optional<ProvenanceCodec.Provenance> provenance(
      SignatureFolder signatures, StatementVerifier verifier, String root) {
    Path file = signatures.provenance();
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    ProvenanceCodec.Provenance provenance =
        ProvenanceCodec.decode(SignatureFolder.verifiedStatement(file, verifier), file.toString());
    if (!provenance.modelRoot().hex().equals(root)) {
      throw new VerificationFailedException(
          file
              + " binds model root sha256:"
              + provenance.modelRoot().hex()
              + ", but model.sig signs sha256:"
              + root);
    }
    return Optional.of(provenance);
  }
}
