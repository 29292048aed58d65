package org.sentryml.core.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.sentryml.core.errors.UsageException;

/**
 * The resources a partial verification checks: each requested name selects the resource of that
 * name ({@code file#tensor} of the inplace workflow, a file of the layered one, a shard {@code
 * path:start:end}) and every resource that belongs to the file of that name (its tensors and
 * header, or its shards).
 */
final class ResourceSelection {
  private final Set<String> names;

  private ResourceSelection(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  static ResourceSelection of(List<String> requested) {
    if (requested.isEmpty()) {
      throw new UsageException("--only needs at least one resource or file name");
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : requested) {
      String posix = name.replace('\\', '/');
      while (posix.startsWith("./")) {
        posix = posix.substring(2);
      }
      if (posix.isEmpty()) {
        throw new UsageException("--only: an empty name selects nothing");
      }
      names.add(posix);
    }
    return new ResourceSelection(names);
  }

  /** Whether {@code resource} (a resource name of the manifest) is selected. */
  boolean selects(String resource) {
    return names.contains(resource) || names.contains(fileOf(resource));
  }

  /** The selected items of {@code items}, named by {@code name}. */
  <T> List<T> filter(List<T> items, Function<T, String> name) {
    return items.stream().filter(item -> selects(name.apply(item))).toList();
  }

  /** The names that select nothing of {@code resources}. */
  List<String> unmatched(List<String> resources) {
    return names.stream()
        .filter(n -> resources.stream().noneMatch(r -> r.equals(n) || fileOf(r).equals(n)))
        .toList();
  }

  /** The file a resource name belongs to: before {@code #} (a tensor) or a shard's range. */
  static String fileOf(String resource) {
    int hash = resource.indexOf('#');
    if (hash > 0) {
      return resource.substring(0, hash);
    }
    int end = resource.lastIndexOf(':');
    int start = end > 0 ? resource.lastIndexOf(':', end - 1) : -1;
    if (start > 0
        && digits(resource, start + 1, end)
        && digits(resource, end + 1, resource.length())) {
      return resource.substring(0, start);
    }
    return resource;
  }

  private static boolean digits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
