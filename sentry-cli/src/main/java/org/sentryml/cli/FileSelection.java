package org.sentryml.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which files of a model count: extra ignored paths and the symbolic-link policy (hash, sign, verify). */
public final class FileSelection {
  @Option(
      names = {"--ignore_paths", "--ignore-paths"},
      arity = "1..*",
      paramLabel = "P",
      description = "Paths relative to the model to leave out (besides .git, .gitattributes, .github, .gitignore).")
  List<String> ignorePaths = new ArrayList<>();

  @Option(
      names = {"--allow_symlinks", "--allow-symlinks"},
      description = "Follow symbolic links that stay inside the model folder.")
  boolean allowSymlinks;
}
