package org.sentryml.core.engine;

import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.manifest.ManifestRoot;
import org.sentryml.core.manifest.ModelFile;
import org.sentryml.core.manifest.ModelWalker;
import org.sentryml.core.manifest.ResourcePlanner;
import org.sentryml.core.manifest.Workflow;

/**
 * The {@code sentry hash} pipeline: list and cut a model into resources ({@link #plan}), then
 * digest them on an engine ({@link #hash}). Planning comes first so that every problem with the
 * model's files is reported before an engine is started.
 */
public final class ModelHasher {
  private ModelHasher() {}

  /** The digests of a model and their root. */
  public record ModelDigests(Path model, String algorithm, List<ResourceDigest> resources, Digest root) {}

  /** Lists the model's files and cuts them into the workflow's resources, in canonical order. */
  public static List<Resource> plan(Path model, ModelWalker walker, Workflow workflow) {
    List<ModelFile> files = walker.listNonEmpty(model, "hash");
    return ResourcePlanner.plan(files, workflow);
  }

  public static ModelDigests hash(Path model, List<Resource> resources, HashingOptions options, HashEngine engine) {
    List<ResourceDigest> digests = engine.hash(resources, options);
    Digest root = ManifestRoot.of(digests.stream().map(ResourceDigest::digest).toList());
    return new ModelDigests(model, options.digestName(), digests, root);
  }
}
