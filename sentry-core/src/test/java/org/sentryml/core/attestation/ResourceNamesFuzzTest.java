package org.sentryml.core.attestation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.manifest.IgnoreRules;

/**
 * Any text as a resource name or ignore path from an untrusted statement: a name the checks accept
 * can never reach outside the model folder, and the ignore rules never throw.
 */
class ResourceNamesFuzzTest {
  private static final Path ROOT = Path.of("/model/root");

  @FuzzTest
  void acceptedNamesStayInsideTheModel(@NotNull String name) {
    try {
      ResourceNames.checkPath(name, "name");
    } catch (SentryException expected) {
      return;
    }
    if (name.equals(".")) {
      return;
    }
    Path resolved;
    try {
      resolved = ROOT.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new AssertionError("accepted a name the file system cannot represent: " + name, e);
    }
    if (!resolved.startsWith(ROOT) || resolved.equals(ROOT)) {
      throw new AssertionError("accepted a name that leaves the model folder: " + name);
    }
  }

  @FuzzTest
  void ignoreRulesNeverThrow(@NotNull String rule, @NotNull String name) {
    IgnoreRules rules = IgnoreRules.defaultsPlus(java.util.List.of(rule));
    rules.ignores(name);
    rules.paths();
  }
}
