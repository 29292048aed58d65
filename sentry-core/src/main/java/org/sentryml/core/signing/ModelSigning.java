package org.sentryml.core.signing;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.attestation.StatementCodec;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestBuilder;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.manifest.Serialization;

/** Signs a model: hash into a manifest, encode the statement, sign it, write the file atomically. */
public final class ModelSigning {
  private ModelSigning() {}

  /**
   * Signs {@code model} into {@code signatureFile}. The file appears complete or not at all: it is
   * written to a temporary file beside it, flushed to disk and renamed.
   *
   * @param replace whether an existing signature file may be replaced; when false and one exists,
   *     nothing is written and the call fails with {@link UsageException} (checked by the rename itself)
   */
  public static Manifest sign(
      Path model, Serialization serialization, HashEngine engine, StatementSigner signer, Path signatureFile,
      boolean replace) {
    if (!replace && Files.exists(signatureFile, LinkOption.NOFOLLOW_LINKS)) {
      throw existing(signatureFile);
    }
    List<Resource> resources = ManifestBuilder.plan(model, serialization);
    Manifest manifest = ManifestBuilder.hash(ManifestBuilder.modelName(model), resources, serialization, engine);
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
   * @throws SentryException {@link MalformedInputException} naming what verification would refuse
   */
  public static byte[] statementBytes(Manifest manifest) {
    String json = new GsonBuilder().disableHtmlEscaping().create().toJson(StatementCodec.encode(manifest));
    byte[] statement = json.getBytes(StandardCharsets.UTF_8);
    try {
      StatementCodec.decode(statement, List.of());
    } catch (SentryException e) {
      throw new MalformedInputException("cannot sign " + manifest.modelName() + ": verification would refuse its statement: " + e.getMessage(), e);
    }
    return statement;
  }

  private static SentryException existing(Path signatureFile) {
    return new UsageException("signature file " + signatureFile + " already exists; pass --force to replace it");
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
