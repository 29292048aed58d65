package org.sentryml.core.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.Digest;

/**
 * The differences between a signed manifest and the one recomputed from the model on disk: every
 * missing, extra and changed resource, with expected and actual digests. Digests are compared in
 * constant time.
 */
public record ManifestDiff(List<String> missing, List<String> extra, List<Change> changed) {
  /** A resource whose digest differs. */
  public record Change(String name, Digest expected, Digest actual) {}

  public static ManifestDiff between(List<ResourceDigest> expected, List<ResourceDigest> actual) {
    Map<String, Digest> remaining = new LinkedHashMap<>();
    expected.forEach(r -> remaining.put(r.name(), r.digest()));
    List<String> extra = new ArrayList<>();
    List<Change> changed = new ArrayList<>();
    for (ResourceDigest resource : actual) {
      Digest signed = remaining.remove(resource.name());
      if (signed == null) {
        extra.add(resource.name());
      } else if (!signed.matches(resource.digest())) {
        changed.add(new Change(resource.name(), signed, resource.digest()));
      }
    }
    return new ManifestDiff(
        List.copyOf(remaining.keySet()), List.copyOf(extra), List.copyOf(changed));
  }

  public boolean isEmpty() {
    return missing.isEmpty() && extra.isEmpty() && changed.isEmpty();
  }

  /** One line per difference, for the user. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    missing.forEach(name -> lines.add("missing: " + name + " (signed, but not in the model)"));
    extra.forEach(name -> lines.add("extra: " + name + " (in the model, but not signed)"));
    changed.forEach(
        c ->
            lines.add(
                "changed: " + c.name() + " expected " + c.expected() + " actual " + c.actual()));
    return lines;
  }
}
