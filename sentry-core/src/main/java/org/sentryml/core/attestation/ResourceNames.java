package org.sentryml.core.attestation;

import org.sentryml.core.errors.MalformedInputException;

/**
 * Checks resource and ignore-path names read from an untrusted manifest: relative, normalized POSIX
 * paths that can never reach outside the model folder.
 */
final class ResourceNames {
  private ResourceNames() {}

  /** Checks a file path ({@code "."} allowed for a single-file model). */
  static String checkPath(String name, String field) {
    if (name.equals(".")) {
      return name;
    }
    String why = null;
    if (name.isEmpty()) {
      why = "is empty";
    } else if (name.startsWith("/")) {
      why = "is absolute";
    } else if (name.matches("^[A-Za-z]:.*")) {
      why = "starts with a drive letter and a colon, which makes it absolute on Windows";
    } else if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      why = "contains a backslash or NUL";
    } else {
      for (String part : name.split("/", -1)) {
        if (part.equals("..")) {
          why = "climbs out of the model folder with '..'";
          break;
        }
        if (part.isEmpty() || part.equals(".")) {
          why = "is not normalized";
          break;
        }
      }
    }
    if (why != null) {
      throw new MalformedInputException(field + " '" + name + "' " + why);
    }
    return name;
  }
}
