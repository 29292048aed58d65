package org.sentryml.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.manifest.IgnoreRules;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model, its signature file and which of its files count: shared by sign and verify. */
public final class ModelOptions {
  @Parameters(index = "0", paramLabel = "MODEL", description = "Model folder or single model file.")
  Path model;

  @Option(
      names = "--signature",
      paramLabel = "FILE",
      description = "Signature file (default: model.sig inside the model folder, or beside a single-file model).")
  Path signature;

  @Mixin FileSelection selection;

  Path signatureFile() {
    if (signature != null) {
      return signature;
    }
    Path absolute = model.toAbsolutePath().normalize();
    return java.nio.file.Files.isDirectory(absolute) ? absolute.resolve("model.sig") : absolute.resolveSibling("model.sig");
  }

  /** What a new signature records as ignored: model_signing's defaults, the user's, the signature. */
  List<String> ignorePathsToRecord() {
    List<String> all = new ArrayList<>(IgnoreRules.DEFAULTS);
    all.addAll(selection.ignorePaths);
    all.addAll(org.sentryml.core.signing.ModelSigning.ignoredSignature(model, signatureFile()));
    return all;
  }
}
