package org.sentryml.core.signing;

import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.attestation.StatementCodec;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestBuilder;
import org.sentryml.core.manifest.Resource;
import org.sentryml.core.manifest.Serialization;

/** Signs a model: hash into a manifest, encode the statement, sign it, write the file atomically. */
public final class ModelSigning {
  private ModelSigning() {}

  /**
   * Signs {@code model} into {@code signatureFile}. The file appears complete or not at all: it is
   * written to a temporary file beside it, flushed to disk and renamed.
   */
  public static Manifest sign(
      Path model, Serialization serialization, HashEngine engine, StatementSigner signer, Path signatureFile) {
    List<Resource> resources = ManifestBuilder.plan(model, serialization);
    Manifest manifest = ManifestBuilder.hash(ManifestBuilder.modelName(model), resources, serialization, engine);
    byte[] statement = statementBytes(manifest);
    AtomicFile.write(signatureFile, signer.sign(statement));
    return manifest;
  }

  /** The statement's bytes as signed: compact JSON, fields in a fixed order. */
  public static byte[] statementBytes(Manifest manifest) {
    String json = new GsonBuilder().disableHtmlEscaping().create().toJson(StatementCodec.encode(manifest));
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The signature file's name relative to the model folder, if it lies inside it (to be ignored). */
  public static List<String> ignoredSignature(Path model, Path signatureFile) {
    Path root = model.toAbsolutePath().normalize();
    Path signature = signatureFile.toAbsolutePath().normalize();
    if (!Files.isDirectory(root) || !signature.startsWith(root)) {
      return List.of();
    }
    return List.of(root.relativize(signature).toString().replace('\\', '/'));
  }
}
