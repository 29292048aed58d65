package org.sentryml.cli;

import java.io.PrintWriter;
import org.sentryml.clisupport.EngineOptions;
import org.sentryml.core.engine.HashEngine;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.tree.Topology;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The hashing options shared by every command that hashes a model (the topology is each command's
 * own).
 */
public final class HashingMixin {
  @Option(
      names = "--algorithm",
      paramLabel = "A",
      description =
          "Hash algorithm: sha256, blake2b, sha3-256, blake2xb (default: sha256; blake2xb for lattice).")
  String algorithm;

  @Option(
      names = "--workflow",
      paramLabel = "W",
      defaultValue = "layered",
      description = "coalesced, layered or inplace (default: ${DEFAULT-VALUE}).")
  String workflow;

  @Option(
      names = {"--leaf-size", "--leaf_size"},
      paramLabel = "BYTES",
      defaultValue = "65536",
      description =
          "Merkle leaf / lattice chunk size, a power of two from 4096 (default: ${DEFAULT-VALUE}).")
  long leafSize;

  @Mixin EngineOptions engineOptions;

  /** The options for {@code topology}, validated; the algorithm defaults by topology. */
  public HashingOptions options(Topology chosenTopology) {
    HashAlgorithm chosenAlgorithm =
        algorithm == null
            ? (chosenTopology == Topology.LATTICE ? HashAlgorithm.BLAKE2XB : HashAlgorithm.SHA256)
            : HashAlgorithm.byId(algorithm)
                .orElseThrow(
                    () ->
                        usage(
                            "unknown algorithm '"
                                + algorithm
                                + "'; expected one of "
                                + HashAlgorithm.ids()));
    HashingOptions.checkLeafSize(leafSize);
    return new HashingOptions(chosenTopology, chosenAlgorithm, (int) leafSize);
  }

  public Workflow workflow() {
    return Workflow.byId(workflow)
        .orElseThrow(
            () -> usage("unknown workflow '" + workflow + "'; expected one of " + Workflow.ids()));
  }

  /** Creates the engine; {@code auto} explains its choice on {@code err}. */
  public HashEngine engine(PrintWriter err) {
    return engineOptions.create(err);
  }

  static Topology topology(String id) {
    return Topology.byId(id)
        .orElseThrow(
            () -> usage("unknown topology '" + id + "'; expected one of " + Topology.ids()));
  }

  private static SentryException usage(String message) {
    return new UsageException(message);
  }
}
