package org.sentryml.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.manifest.IgnoreRules;
import org.sentryml.core.model.Models;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model, its signature file and which of its files count: shared by sign and verify. */
public final class ModelOptions {
  /** The signature of a model folder, inside it (the name model_signing uses). */
  static final String FOLDER_SIGNATURE = "model.sig";

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model folder or single model file.")
  Path model;

  @Option(
      names = "--signature",
      paramLabel = "FILE",
      description =
          "Signature file (default: model.sig inside a model folder, FILE.sig beside a single-file model FILE).")
  Path signature;

  @Mixin FileSelection selection;

  /**
   * The signature file: as given, else {@code model.sig} inside a folder, else {@code FILE.sig}
   * beside a single file — so that the signatures of several files of one folder, and of the folder
   * itself, never share a name.
   */
  Path signatureFile() {
    if (signature != null) {
      return signature;
    }
    Path absolute = model.toAbsolutePath().normalize();
    return Files.isDirectory(absolute)
        ? absolute.resolve(FOLDER_SIGNATURE)
        : absolute.resolveSibling(absolute.getFileName() + ".sig");
  }

  /**
   * The signature file to verify against. When a single file's default {@code FILE.sig} is missing
   * but a {@code model.sig} lies beside it (the default of earlier releases), the error says so
   * instead of only "not found".
   */
  Path signatureToVerify() {
    Path file = signatureFile();
    if (signature == null && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      Path legacy = file.resolveSibling(FOLDER_SIGNATURE);
      if (!Files.isDirectory(model) && Files.exists(legacy, LinkOption.NOFOLLOW_LINKS)) {
        throw new PathException(
            PathException.Kind.NOT_FOUND,
            "no signature file "
                + file
                + "; "
                + legacy
                + " beside it may be an older signature of this file: pass --signature "
                + legacy);
      }
    }
    return file;
  }

  /**
   * What a new signature records as ignored: model_signing's defaults, the user's, the signature.
   */
  List<String> ignorePathsToRecord() {
    List<String> all = new ArrayList<>(IgnoreRules.DEFAULTS);
    all.addAll(selection.ignorePaths(model));
    all.addAll(Models.ignoredSignature(model, signatureFile()));
    return all;
  }
}
