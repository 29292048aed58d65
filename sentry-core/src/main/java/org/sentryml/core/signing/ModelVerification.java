package org.sentryml.core.signing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.attestation.StatementCodec;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.ExitCode;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestBuilder;
import org.sentryml.core.manifest.ManifestDiff;
import org.sentryml.core.manifest.Resource;
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
    byte[] bundle;
    try {
      bundle = Files.readAllBytes(signatureFile);
    } catch (IOException e) {
      throw PathProblems.classify(signatureFile, e);
    }
    byte[] statement = verifier.verify(bundle);
    JsonObject json;
    try {
      json = JsonParser.parseString(new String(statement, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new SentryException(ExitCode.BAD_INPUT, "malformed statement in " + signatureFile + ": not a JSON object");
    }
    List<String> ignore = new ArrayList<>(extraIgnorePaths);
    ignore.addAll(ModelSigning.ignoredSignature(model, signatureFile));
    Manifest expected = StatementCodec.decode(json, ignore);
    Serialization signed = expected.serialization();
    Serialization serialization =
        new Serialization(signed.method(), signed.hashType(), signed.shardSize(), signed.leafSize(),
            signed.workflow(), signed.allowSymlinks() || allowSymlinks, signed.ignorePaths());
    List<Resource> resources = ManifestBuilder.plan(model, serialization);
    Manifest actual = ManifestBuilder.hash(expected.modelName(), resources, serialization, engine);
    return new Result(expected, ManifestDiff.between(expected.resources(), actual.resources()));
  }
}
