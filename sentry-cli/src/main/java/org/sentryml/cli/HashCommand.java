package org.sentryml.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.engine.HashingOptions;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.model.ModelDigests;
import org.sentryml.core.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentry hash PATH}: prints each resource's digest and the manifest root. */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description = "Hash a model folder or file and print every resource digest and the root.")
public final class HashCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "Model folder or single model file.")
  Path path;

  @Mixin HashingMixin hashing;

  @Option(
      names = "--topology",
      paramLabel = "T",
      defaultValue = "merkle",
      description = "flat, merkle or lattice (default: ${DEFAULT-VALUE}).")
  String topology;

  @Option(names = "--json", description = "Print exactly one JSON object.")
  boolean json;

  @Mixin FileSelection selection;

  @Override
  public Integer call() {
    HashingOptions options = hashing.options(HashingMixin.topology(topology));
    PrintWriter out = spec.commandLine().getOut();
    ModelDigests digests;
    try (OnDemandEngine engine =
        new OnDemandEngine(() -> hashing.engine(spec.commandLine().getErr()))) {
      digests =
          Models.hash(
              path,
              IgnoreRules.defaultsPlus(selection.ignorePaths(path)),
              selection.allowSymlinks,
              hashing.workflow(),
              options,
              engine);
    }
    if (json) {
      out.println(toJson(digests));
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

  static String toJson(ModelDigests digests) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("path", digests.model().toString());
    object.put("algorithm", digests.algorithm());
    object.put("root", digests.root().hex());
    object.put(
        "resources",
        digests.resources().stream()
            .map(
                r -> {
                  Map<String, String> entry = new LinkedHashMap<>();
                  entry.put("name", r.name());
                  entry.put("algorithm", r.digest().algorithm());
                  entry.put("digest", r.digest().hex());
                  return entry;
                })
            .toList());
    return new GsonBuilder().disableHtmlEscaping().create().toJson(object);
  }
}
