package org.sentryml.core.manifest;

import java.util.Comparator;

/**
 * The canonical order of resource names: by Unicode code point, as Python sorts strings, so that
 * manifests agree with {@code model_signing} even for names outside the Basic Multilingual Plane.
 */
public final class CanonicalOrder {
  public static final Comparator<String> NAMES = CanonicalOrder::compare;

  private CanonicalOrder() {}

  private static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
