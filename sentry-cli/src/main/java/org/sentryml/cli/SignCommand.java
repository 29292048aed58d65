package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.SignMethods;
import org.sentryml.clisupport.SignSkipCommand;
import org.sentryml.clisupport.SigningHost;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.SerializationMethod;
import org.sentryml.core.model.LeafSidecar;
import org.sentryml.core.model.ModelPlan;
import org.sentryml.core.model.Models;
import org.sentryml.core.model.SignOptions;
import org.sentryml.core.model.Signed;
import org.sentryml.core.signing.StatementSigner;
import org.sentryml.core.tree.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry sign MODEL [options] METHOD [method options]}. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    subcommandsRepeatable = false,
    description = "Sign a model folder or file into a Sigstore bundle (default model.sig).",
    subcommands = {
      SignMethods.PrivateKeyMethod.class,
      SignMethods.PkiMethod.class,
      SignMethods.SigstoreMethod.class,
      SignSkipCommand.class
    })
public final class SignCommand implements SigningHost {
  @Spec CommandSpec spec;

  @Mixin ModelOptions model;

  @Mixin HashingMixin hashing;

  @Option(
      names = "--method",
      paramLabel = "M",
      defaultValue = "merkle",
      description =
          "files, shards, merkle or lattice (default: ${DEFAULT-VALUE}); files and shards are OMS-compatible.")
  String method;

  @Option(
      names = {"--shard_size", "--shard-size"},
      paramLabel = "BYTES",
      defaultValue = "1000000000",
      description = "Shard size for the shards method (default: ${DEFAULT-VALUE}).")
  long shardSize;

  @Option(names = "--force", description = "Replace an existing signature file.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--leaves",
      description =
          "Also write the unsigned leaf sidecar SIGNATURE.leaves (merkle method), so that verify --range"
              + " can check any byte range by hashing only the leaves that cover it.")
  boolean leaves;

  @Option(
      names = "--reuse",
      paramLabel = "OLD.sig",
      description =
          "Reuse the digests of this earlier signature (verified with the same key first) for files that"
              + " did not change; may be the signature file being replaced.")
  Path reuse;

  @Option(
      names = "--changed",
      arity = "1",
      paramLabel = "PATH",
      description =
          "With --reuse: a file that changed (repeat for more; re-hashed, with new files and files"
              + " whose size differs); without it, the local stat cache decides.")
  List<String> changed;

  Serialization serialization() {
    SerializationMethod chosen =
        SerializationMethod.byId(method.toLowerCase(Locale.ROOT))
            .orElseThrow(
                () ->
                    new UsageException(
                        "unknown method '"
                            + method
                            + "'; expected one of "
                            + SerializationMethod.ids()));
    HashingOptions options =
        hashing.options(chosen == SerializationMethod.LATTICE ? Topology.LATTICE : Topology.MERKLE);
    List<String> ignore = new java.util.ArrayList<>(model.ignorePathsToRecord());
    // The sidecar is never part of the model: left out when written now or left from before.
    if (leaves
        || java.nio.file.Files.exists(
            LeafSidecar.besides(model.signatureFile()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      ignore.addAll(Models.ignoredSidecar(model.model, model.signatureFile()));
    }
    return switch (chosen) {
      case FILES -> Serialization.files(options.algorithm(), model.selection.allowSymlinks, ignore);
      case SHARDS ->
          Serialization.shards(
              options.algorithm(), shardSize, model.selection.allowSymlinks, ignore);
      case MERKLE ->
          Serialization.merkle(
              options.algorithm(),
              options.leafSize(),
              hashing.workflow(),
              model.selection.allowSymlinks,
              ignore);
      case LATTICE ->
          Serialization.lattice(
              options.leafSize(), hashing.workflow(), model.selection.allowSymlinks, ignore);
    };
  }

  /**
   * Runs the signing pipeline with the chosen method's signer; called by the METHOD subcommands.
   */
  @Override
  public int sign(StatementSigner signer, String methodName) {
    if (changed != null && reuse == null) {
      throw new UsageException("--changed needs --reuse OLD.sig");
    }
    Serialization serialization = serialization();
    PrintWriter out = spec.commandLine().getOut();
    ModelPlan plan = ModelPlan.of(model.model, serialization);
    Path leavesFile = leaves ? LeafSidecar.besides(model.signatureFile()) : null;
    Signed signed;
    try (OnDemandEngine engine =
        new OnDemandEngine(() -> hashing.engine(spec.commandLine().getErr()))) {
      signed =
          Models.sign(
              plan,
              signer,
              model.signatureFile(),
              force,
              engine,
              new SignOptions(leavesFile, reuse, changed));
    }
    Manifest manifest = signed.manifest();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("model", model.model.toString());
      result.addProperty("signature", model.signatureFile().toString());
      result.addProperty("method", methodName);
      result.addProperty("resources", manifest.resources().size());
      result.addProperty("algorithm", serialization.resourceAlgorithm());
      result.addProperty("root", "sha256:" + manifest.root().hex());
      if (reuse != null) {
        result.addProperty("hashed", signed.hashed().size());
        result.addProperty("reused", signed.reused().size());
      }
      if (leavesFile != null) {
        result.addProperty("leaves", leavesFile.toString());
      }
      JsonOutput.print(out, result);
      return 0;
    }
    TerminalText.printf(
        out,
        "signed %s (%d resources, %s, root sha256:%s) with %s into %s%n",
        model.model,
        manifest.resources().size(),
        serialization.resourceAlgorithm(),
        manifest.root().hex(),
        methodName,
        model.signatureFile());
    if (reuse != null) {
      TerminalText.printf(
          out,
          "re-hashed %d resources, reused %d digests of %s%n",
          signed.hashed().size(),
          signed.reused().size(),
          reuse);
    }
    if (leavesFile != null) {
      TerminalText.printf(out, "leaf digests written to %s (unsigned)%n", leavesFile);
    }
    out.flush();
    return 0;
  }
}
