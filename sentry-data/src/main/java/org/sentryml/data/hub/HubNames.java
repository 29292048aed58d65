package org.sentryml.data.hub;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Validation and URL encoding of repository ids, revisions and paths. Everything a server sends
 * back ends up in a file name under the cache, so it is checked before use.
 */
final class HubNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private HubNames() {}

  /** Checks {@code org/name} (or a legacy {@code name}) and returns it. */
  static String checkRepoId(String repoId) {
    String[] parts = repoId.split("/", -1);
    boolean ok = parts.length >= 1 && parts.length <= 2;
    for (String part : parts) {
      ok &= NAME.matcher(part).matches() && !part.contains("..");
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "a dataset id is 'org/name' of letters, digits, '.', '_' and '-': " + repoId);
    }
    return repoId;
  }

  /** Checks a branch, tag or commit name, which may contain slashes ({@code refs/pr/1}). */
  static String checkRevision(String revision) {
    if (revision.isEmpty() || revision.startsWith("/") || revision.endsWith("/")) {
      throw new IllegalArgumentException("not a revision name: '" + revision + "'");
    }
    checkRelativePath(revision);
    return revision;
  }

  static boolean isCommit(String revision) {
    return COMMIT.matcher(revision).matches();
  }

  /** Refuses paths that could leave the folder they are resolved against. */
  static void checkRelativePath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a relative repository path: '" + path + "'");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("not a relative repository path: '" + path + "'");
      }
    }
  }

  /** Percent-encodes one URL path segment (a slash inside it is encoded too). */
  static String segment(String value) {
    // URLEncoder targets forms, where a space is '+'; in a path it must be %20.
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Percent-encodes a repository path, keeping its slashes as separators. */
  static String path(String path) {
    StringBuilder out = new StringBuilder();
    for (String part : path.split("/", -1)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment(part));
    }
    return out.toString();
  }

  /** The repository id as it appears in URLs: the slash between org and name stays literal. */
  static String repoPath(String repoId) {
    return path(repoId);
  }
}
