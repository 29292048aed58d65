package org.sentryml.core.manifest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which paths of a model folder are not part of the model. Rules are relative POSIX paths; a rule
 * ignores that path and everything below it. The defaults are those of {@code model_signing}.
 */
public final class IgnoreRules {
  public static final List<String> DEFAULTS =
      List.of(".git", ".gitattributes", ".github", ".gitignore");

  private final Set<String> paths;

  private IgnoreRules(Set<String> paths) {
    this.paths = Set.copyOf(paths);
  }

  public static IgnoreRules none() {
    return new IgnoreRules(Set.of());
  }

  /** The defaults plus {@code extra} (e.g. the signature file and {@code --ignore_paths}). */
  public static IgnoreRules defaultsPlus(List<String> extra) {
    Set<String> all = new LinkedHashSet<>(DEFAULTS);
    for (String path : extra) {
      all.add(normalize(path));
    }
    return new IgnoreRules(all);
  }

  public List<String> paths() {
    return paths.stream().sorted(CanonicalOrder.NAMES).toList();
  }

  public boolean ignores(String name) {
    for (String path : paths) {
      if (name.equals(path) || name.startsWith(path + "/")) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String path) {
    String posix = path.replace('\\', '/');
    while (posix.startsWith("./")) {
      posix = posix.substring(2);
    }
    while (posix.endsWith("/") && posix.length() > 1) {
      posix = posix.substring(0, posix.length() - 1);
    }
    return posix;
  }
}
