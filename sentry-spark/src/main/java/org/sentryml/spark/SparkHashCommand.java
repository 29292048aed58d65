package org.sentryml.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.SignMethods;
import org.sentryml.clisupport.SignSkipCommand;
import org.sentryml.clisupport.SigningHost;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.model.ModelDigests;
import org.sentryml.core.model.ModelPlan;
import org.sentryml.core.model.Models;
import org.sentryml.core.signing.StatementSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-spark hash PATH [--sign FILE METHOD [method options]]}: {@code sentry hash} (and,
 * with {@code --sign}, {@code sentry sign --method merkle}) with every file's Merkle root computed
 * as a Spark task; the resources, the manifest root and the statement are made on the driver by the
 * code {@code sentry} runs, so the root and the bundle are the ones one machine produces.
 */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description =
        "Hash a model or data folder of many files on Spark (one task per group of files); with --sign FILE and a METHOD, sign it.",
    subcommands = {
      SignMethods.PrivateKeyMethod.class,
      SignMethods.PkiMethod.class,
      SignMethods.SigstoreMethod.class,
      SignSkipCommand.class
    })
final class SparkHashCommand implements Callable<Integer>, SigningHost {
  @Spec CommandLine.Model.CommandSpec spec;
  @ParentCommand SparkCli cli;

  @Parameters(index = "0", paramLabel = "PATH", description = "Folder or file to hash.")
  Path path;

  @Option(
      names = "--hash_type",
      paramLabel = "ALG",
      defaultValue = "sha256",
      description = "Hash algorithm (default: ${DEFAULT-VALUE}).")
  String hashType;

  @Option(
      names = {"--leaf_size", "--leaf-size"},
      paramLabel = "BYTES",
      defaultValue = "65536",
      description = "Merkle leaf size (default: ${DEFAULT-VALUE}).")
  int leafSize;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "0",
      description = "Number of tasks (default 0: Spark's default parallelism).")
  int partitions;

  @Option(
      names = "--sign",
      paramLabel = "FILE",
      description = "Sign with the METHOD that follows into FILE (a Sigstore bundle).")
  Path sign;

  @Option(names = "--force", description = "Replace an existing signature file.")
  boolean force;

  @Option(names = "--json", description = "Print exactly one JSON object.")
  boolean json;

  private HashingOptions options() {
    HashAlgorithm algorithm =
        HashAlgorithm.byId(hashType)
            .orElseThrow(() -> new UsageException("unknown hash type '" + hashType + "'"));
    return HashingOptions.merkle(algorithm, leafSize);
  }

  /** The session starts only when the first byte is to be hashed, after planning checked PATH. */
  private OnDemandEngine engine() {
    return new OnDemandEngine(
        () -> {
          SparkSession spark = cli.session();
          return new SparkEngine(spark, SparkCli.executorEngine(spark), partitions);
        });
  }

  @Override
  public Integer call() {
    if (sign != null) {
      throw new UsageException(
          "--sign needs a METHOD after it: private-key, pki, sigstore or skip");
    }
    ModelDigests digests;
    try (OnDemandEngine engine = engine()) {
      digests =
          Models.hash(
              path,
              IgnoreRules.defaultsPlus(List.of()),
              false,
              Workflow.LAYERED,
              options(),
              engine);
    } catch (RuntimeException e) {
      throw SparkFailures.unwrap(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("path", digests.model().toString());
      result.addProperty("algorithm", digests.algorithm());
      result.addProperty("root", digests.root().hex());
      JsonArray resources = new JsonArray();
      for (ResourceDigest r : digests.resources()) {
        JsonObject entry = new JsonObject();
        entry.addProperty("name", r.name());
        entry.addProperty("algorithm", r.digest().algorithm());
        entry.addProperty("digest", r.digest().hex());
        resources.add(entry);
      }
      result.add("resources", resources);
      JsonOutput.print(out, result);
    } else {
      for (ResourceDigest resource : digests.resources()) {
        TerminalText.println(out, resource.digest().hex() + "  " + resource.name());
      }
      out.println("algorithm: " + digests.algorithm());
      out.println("root: " + digests.root().hex());
    }
    out.flush();
    return 0;
  }

  @Override
  public int sign(StatementSigner signer, String methodName) {
    if (sign == null) {
      throw new UsageException("a METHOD signs into the file --sign FILE names; give --sign");
    }
    List<String> ignore = new ArrayList<>();
    Path model = path.toAbsolutePath().normalize();
    Path signature = sign.toAbsolutePath().normalize();
    if (signature.startsWith(model) && !signature.equals(model)) {
      // As sentry sign records it: the bundle inside the folder is not part of the model.
      ignore.add(model.relativize(signature).toString().replace('\\', '/'));
    }
    HashingOptions options = options();
    Serialization serialization =
        Serialization.merkle(
            options.algorithm(), options.leafSize(), Workflow.LAYERED, false, ignore);
    Manifest manifest;
    try (OnDemandEngine engine = engine()) {
      manifest = Models.sign(ModelPlan.of(path, serialization), signer, sign, force, engine);
    } catch (RuntimeException e) {
      throw SparkFailures.unwrap(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    TerminalText.printf(
        out,
        "signed %s (%d resources, %s, root sha256:%s) with %s into %s%n",
        path,
        manifest.resources().size(),
        serialization.resourceAlgorithm(),
        manifest.root().hex(),
        methodName,
        sign);
    out.flush();
    return 0;
  }
}
