package org.sentryml.core.manifest;

import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.engine.Resource;

/** Lists a model, cuts it into the serialization's resources and hashes them into a {@link Manifest}. */
public final class ManifestBuilder {
  private ManifestBuilder() {}

  /**
   * The resources the serialization covers, in canonical order; every problem with the model's
   * files (missing, links, FIFOs, an empty folder) is reported here, before any hashing.
   */
  public static List<Resource> plan(Path model, Serialization serialization) {
    ModelWalker walker = new ModelWalker(IgnoreRules.defaultsPlus(serialization.ignorePaths()), serialization.allowSymlinks());
    List<ModelFile> files = walker.listNonEmpty(model, "sign");
    return switch (serialization.method()) {
      case FILES -> ResourcePlanner.plan(files, Workflow.LAYERED);
      case SHARDS -> ShardPlanner.plan(files, serialization.shardSize());
      case MERKLE, LATTICE -> ResourcePlanner.plan(files, serialization.workflow());
    };
  }

  public static Manifest build(Path model, Serialization serialization, HashEngine engine) {
    return hash(modelName(model), plan(model, serialization), serialization, engine);
  }

  public static Manifest hash(String modelName, List<Resource> resources, Serialization serialization, HashEngine engine) {
    String algorithm = serialization.resourceAlgorithm();
    List<ResourceDigest> digests =
        engine.hash(resources, serialization.hashingOptions()).stream()
            .map(r -> r.renamed(algorithm))
            .toList();
    return Manifest.of(modelName, serialization, digests);
  }

  /** The statement subject's name: the model folder's (or file's) own name, as model_signing writes it. */
  public static String modelName(Path model) {
    Path name = model.toAbsolutePath().normalize().getFileName();
    return name == null ? "/" : name.toString();
  }
}
