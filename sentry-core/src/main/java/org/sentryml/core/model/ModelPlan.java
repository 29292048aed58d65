package org.sentryml.core.model;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sentryml.core.engine.ByteRegion.MemoryRegion;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.manifest.CanonicalOrder;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.ModelFile;
import org.sentryml.core.manifest.ModelWalker;
import org.sentryml.core.manifest.ResourcePlanner;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.SerializationMethod;
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

  /**
   * Plans a model whose files are held in memory (decrypted, say), keyed by their relative POSIX
   * paths, as {@code serialization} covers them: each file whole, in canonical order, the ignore
   * rules applied. Only the layered workflow of the files, merkle and lattice methods plans files
   * without a file system under them.
   *
   * @param name the statement subject's name (the model folder's name)
   * @throws UsageException for another method or workflow
   * @throws MalformedInputException when no file is left to cover
   */
  public static ModelPlan inMemory(
      String name, Map<String, ByteBuffer> files, Serialization serialization) {
    boolean layered =
        serialization.method() != SerializationMethod.SHARDS
            && (serialization.method() == SerializationMethod.FILES
                || serialization.workflow() == Workflow.LAYERED);
    if (!layered) {
      throw new UsageException(
          "model "
              + name
              + " is held in memory, which only the layered workflow of the files, merkle and lattice"
              + " methods can cover; it was signed with "
              + serialization.method().name().toLowerCase(Locale.ROOT)
              + (serialization.method() == SerializationMethod.SHARDS
                  ? ""
                  : " / " + serialization.workflow().name().toLowerCase(Locale.ROOT)));
    }
    IgnoreRules ignore = IgnoreRules.defaultsPlus(serialization.ignorePaths());
    List<Resource> resources =
        files.entrySet().stream()
            .filter(file -> !ignore.ignores(file.getKey()))
            .sorted((a, b) -> CanonicalOrder.NAMES.compare(a.getKey(), b.getKey()))
            .map(file -> new Resource(file.getKey(), List.of(new MemoryRegion(file.getValue()))))
            .toList();
    if (resources.isEmpty()) {
      throw new MalformedInputException("model " + name + " holds no file to cover");
    }
    return new ModelPlan(Path.of(name), name, serialization, resources);
  }

  /** The statement subject's name of {@code model}, as model_signing writes it. */
  public static String nameOf(Path model) {
    Path name = model.toAbsolutePath().normalize().getFileName();
    return name == null ? "/" : name.toString();
  }
}
