package org.sentryml.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The ways a secret key could be written into output or a file — raw, hex in both cases, base64 in
 * both alphabets with and without padding — so that a test can search for every one of them.
 */
public final class SecretSpellings {
  private SecretSpellings() {}

  /** Every spelling of {@code key}. */
  public static List<String> of(byte[] key) {
    String hex = HexFormat.of().formatHex(key);
    return List.of(
        new String(key, StandardCharsets.ISO_8859_1),
        hex,
        hex.toUpperCase(Locale.ROOT),
        Base64.getEncoder().encodeToString(key),
        Base64.getEncoder().withoutPadding().encodeToString(key),
        Base64.getUrlEncoder().withoutPadding().encodeToString(key));
  }

  /** Whether {@code text} holds any spelling of any of {@code keys}. */
  public static boolean mentioned(String text, List<byte[]> keys) {
    for (byte[] key : keys) {
      for (String spelling : of(key)) {
        if (text.contains(spelling)) {
          return true;
        }
      }
    }
    return false;
  }
}
