package org.sentryml.core.model;

import java.nio.file.Path;
import java.util.List;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.ModelFile;
import org.sentryml.core.manifest.ModelWalker;
import org.sentryml.core.manifest.ResourcePlanner;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.ShardPlanner;
import org.sentryml.core.manifest.Workflow;

/**
 * A model's files cut into the resources a serialization digests, in canonical order. Planning
 * lists and checks every file (missing, links, FIFOs, an empty folder, a malformed safetensors
 * header) before any byte is hashed.
 *
 * @param name the statement subject's name: the model folder's (or file's) own name
 */
public record ModelPlan(
    Path model, String name, Serialization serialization, List<Resource> resources) {
  public ModelPlan {
    resources = List.copyOf(resources);
  }

  /** Plans {@code model} as {@code serialization} covers it. */
  public static ModelPlan of(Path model, Serialization serialization) {
    ModelWalker walker =
        new ModelWalker(
            IgnoreRules.defaultsPlus(serialization.ignorePaths()), serialization.allowSymlinks());
    List<ModelFile> files = walker.listNonEmpty(model, "sign");
    List<Resource> resources =
        switch (serialization.method()) {
          case FILES -> ResourcePlanner.plan(files, Workflow.LAYERED);
          case SHARDS -> ShardPlanner.plan(files, serialization.shardSize());
          case MERKLE, LATTICE -> ResourcePlanner.plan(files, serialization.workflow());
        };
    return new ModelPlan(model, nameOf(model), serialization, resources);
  }

  /** The statement subject's name of {@code model}, as model_signing writes it. */
  public static String nameOf(Path model) {
    Path name = model.toAbsolutePath().normalize().getFileName();
    return name == null ? "/" : name.toString();
  }
}
