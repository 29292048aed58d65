package org.sentryml.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.engine.ResourceLeaves;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ModelFile;
import org.sentryml.core.manifest.ModelWalker;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.signing.StatementSigner;

/**
 * Re-signing on top of an earlier signature: which resources must be hashed again and which digests
 * can be taken over. Only signing reuses; verification always hashes everything it checks.
 */
final class SignReuse {
  private SignReuse() {}

  /**
   * The manifest to sign, which resources were hashed or reused for it, and (when asked for) every
   * resource's leaf digests in manifest order.
   */
  record Outcome(
      Manifest manifest, List<String> hashed, List<String> reused, List<ResourceLeaves> leaves) {}

  /** The model's files as the plan covers them (listed again: cheap, and no bytes are read). */
  static List<ModelFile> files(ModelPlan plan) {
    Serialization s = plan.serialization();
    return new ModelWalker(IgnoreRules.defaultsPlus(s.ignorePaths()), s.allowSymlinks())
        .list(plan.model());
  }

  static Outcome hash(
      ModelPlan plan,
      List<ModelFile> files,
      StatementSigner signer,
      Path earlier,
      @Nullable List<String> changed,
      OnDemandEngine engine,
      boolean keepLeaves) {
    Serialization now = plan.serialization();
    if (now.workflow() == Workflow.COALESCED) {
      throw new UsageException(
          "--reuse needs a per-file workflow: a coalesced model is one stream");
    }
    byte[] earlierBytes =
        BoundedFiles.read(earlier, BoundedFiles.MAX_BUNDLE_BYTES, "earlier signature");
    Manifest old =
        SignedManifests.read(plan.model(), earlier, signer.ownSignatures(), List.of(), false);
    Serialization then = old.serialization();
    if (then.method() != now.method()
        || then.hashType() != now.hashType()
        || then.shardSize() != now.shardSize()
        || then.leafSize() != now.leafSize()
        || then.workflow() != now.workflow()) {
      throw new UsageException(
          "--reuse: "
              + earlier
              + " signs "
              + then.resourceAlgorithm()
              + " ("
              + then.method().id()
              + "), this signing asks for "
              + now.resourceAlgorithm()
              + " ("
              + now.method().id()
              + "): its digests cannot be reused");
    }
    Map<String, ResourceDigest> earlierDigests = new HashMap<>();
    old.resources().forEach(r -> earlierDigests.put(r.name(), r));
    Set<String> stale = staleFiles(plan.model(), files, earlierBytes, changed);
    // A reused digest needs its leaves too when a sidecar is written: they come from the earlier
    // signature's sidecar, checked against the earlier signed digest; a resource it does not list
    // is hashed again. Read whole before the new sidecar (possibly the same file) is written.
    Map<String, ResourceLeaves> earlierLeaves = new HashMap<>();
    Path earlierSidecar = LeafSidecar.besides(earlier);
    boolean sidecarPresent = keepLeaves && Files.exists(earlierSidecar, LinkOption.NOFOLLOW_LINKS);
    List<Resource> toHash = new ArrayList<>();
    try (SignedLeaves sidecar = sidecarPresent ? SignedLeaves.open(earlierSidecar, old) : null) {
      for (Resource resource : plan.resources()) {
        String name = resource.name();
        boolean reusable =
            !stale.contains(ResourceSelection.fileOf(name)) && earlierDigests.containsKey(name);
        if (reusable && keepLeaves) {
          reusable = sidecar != null && sidecar.covers(name);
          if (reusable) {
            earlierLeaves.put(
                name,
                new ResourceLeaves(
                    name, sidecar.size(name), now.leafSize(), sidecar.verifiedLeaves(name)));
          }
        }
        if (!reusable) {
          toHash.add(resource);
        }
      }
    }
    String algorithm = now.resourceAlgorithm();
    Map<String, ResourceDigest> fresh = new HashMap<>();
    Map<String, ResourceLeaves> freshLeaves = new HashMap<>();
    if (!toHash.isEmpty()) {
      List<ResourceDigest> digests =
          keepLeaves
              ? Models.hashKeepingLeaves(toHash, now, engine, l -> freshLeaves.put(l.name(), l))
              : engine.get().hash(toHash, now.hashingOptions()).stream()
                  .map(r -> r.renamed(algorithm))
                  .toList();
      digests.forEach(r -> fresh.put(r.name(), r));
    }
    List<ResourceDigest> digests = new ArrayList<>();
    List<String> hashed = new ArrayList<>();
    List<String> reused = new ArrayList<>();
    List<ResourceLeaves> leaves = new ArrayList<>();
    for (Resource resource : plan.resources()) {
      ResourceDigest digest = fresh.get(resource.name());
      if (digest != null) {
        hashed.add(resource.name());
      } else {
        digest = earlierDigests.get(resource.name()).renamed(algorithm);
        reused.add(resource.name());
      }
      digests.add(digest);
      if (keepLeaves) {
        ResourceLeaves own = freshLeaves.get(resource.name());
        leaves.add(own != null ? own : earlierLeaves.get(resource.name()));
      }
    }
    return new Outcome(Manifest.of(plan.name(), now, digests), hashed, reused, leaves);
  }

  /**
   * The files to hash again: those named in {@code changed} and those whose size differs from the
   * stat cache's record; without {@code changed}, every file the stat cache does not vouch for (all
   * of them when there is no cache bound to the earlier signature).
   */
  private static Set<String> staleFiles(
      Path model, List<ModelFile> files, byte[] earlier, @Nullable List<String> changed) {
    Optional<StatCache> cache = StatCache.load(model, earlier);
    Set<String> stale = new LinkedHashSet<>();
    Set<String> named = new LinkedHashSet<>();
    if (changed != null) {
      for (String name : changed) {
        String posix = name.replace('\\', '/');
        while (posix.startsWith("./")) {
          posix = posix.substring(2);
        }
        named.add(posix);
      }
    }
    for (ModelFile file : files) {
      if (changed != null) {
        Optional<Long> size = cache.flatMap(c -> c.size(file.name()));
        if (named.contains(file.name()) || (size.isPresent() && size.get() != file.size())) {
          stale.add(file.name());
        }
        continue;
      }
      try {
        if (cache.isEmpty() || !cache.get().unchanged(file.name(), StatCache.stat(file.path()))) {
          stale.add(file.name());
        }
      } catch (IOException e) {
        throw PathProblems.classify(file.path(), e);
      }
    }
    return stale;
  }
}
