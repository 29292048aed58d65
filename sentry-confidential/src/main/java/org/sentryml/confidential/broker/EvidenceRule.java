package org.sentryml.confidential.broker;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sentryml.confidential.tee.ClaimValue;
import org.sentryml.confidential.tee.Claims;
import org.sentryml.confidential.tee.Octets;

/**
 * What a key's policy requires of one evidence type: every named measurement equal to one of its
 * reference values (at least one is named: no evidence type is accepted on its signature alone),
 * and every named TCB value at least its minimum — a number for a numeric claim (an SVN, compared
 * unsigned), hex for a byte claim (an SVN vector such as TDX's {@code tee_tcb_svn}, compared byte
 * by byte: each component at least the minimum's). Claim names are those of docs/ATTESTATION.md,
 * looked up among the measurements, then the TCB values; {@code measurement} is also the primary
 * measurement. Immutable.
 *
 * @param referenceValues claim name to the values accepted (lowercase hex or decimal text)
 * @param minimumTcb claim name to its minimum (decimal text for a number, hex for bytes)
 */
record EvidenceRule(Map<String, List<String>> referenceValues, Map<String, String> minimumTcb) {
  EvidenceRule {
    referenceValues = Map.copyOf(referenceValues);
    minimumTcb = Map.copyOf(minimumTcb);
  }

  /** Why {@code claims} fail this rule, if they do. */
  Optional<String> refusal(Claims claims) {
    for (Map.Entry<String, List<String>> reference : sorted(referenceValues)) {
      String name = reference.getKey();
      Optional<ClaimValue> value = claim(claims, name);
      if (value.isEmpty()) {
        return Optional.of("evidence has no measurement '" + name + "'");
      }
      if (reference.getValue().stream().noneMatch(expected -> equal(value.get(), expected))) {
        return Optional.of(
            "measurement "
                + name
                + " = "
                + value.get()
                + " is none of the policy's reference values");
      }
    }
    for (Map.Entry<String, String> minimum : sorted(minimumTcb)) {
      String name = minimum.getKey();
      Optional<ClaimValue> value = claim(claims, name);
      if (value.isEmpty()) {
        return Optional.of("evidence has no TCB value '" + name + "'");
      }
      Optional<String> below = below(name, value.get(), minimum.getValue());
      if (below.isPresent()) {
        return below;
      }
    }
    return Optional.empty();
  }

  private static <V> List<Map.Entry<String, V>> sorted(Map<String, V> map) {
    return map.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
  }

  private static Optional<ClaimValue> claim(Claims claims, String name) {
    ClaimValue value = claims.measurements().get(name);
    if (value == null) {
      value = claims.tcb().get(name);
    }
    if (value == null && name.equals("measurement")) {
      value = new ClaimValue.Bytes(claims.measurement());
    }
    return Optional.ofNullable(value);
  }

  private static boolean equal(ClaimValue value, String expected) {
    return switch (value) {
      case ClaimValue.Bytes bytes ->
          isHex(expected)
              && bytes.value().length() * 2 == expected.length()
              && bytes.value().matches(Octets.fromHex(expected, "reference value"));
      case ClaimValue.Numeric number -> Long.toUnsignedString(number.value()).equals(expected);
      case ClaimValue.Text text -> text.value().equals(expected);
    };
  }

  private static Optional<String> below(String name, ClaimValue value, String minimum) {
    switch (value) {
      case ClaimValue.Numeric number -> {
        if (!minimum.matches("[0-9]{1,20}")) {
          return Optional.of("TCB value " + name + " is a number, the policy's minimum is not");
        }
        if (Long.compareUnsigned(number.value(), Long.parseUnsignedLong(minimum)) < 0) {
          return Optional.of(
              "TCB value " + name + " = " + number + " is below the minimum " + minimum);
        }
        return Optional.empty();
      }
      case ClaimValue.Bytes bytes -> {
        if (!isHex(minimum) || minimum.length() != bytes.value().length() * 2) {
          return Optional.of(
              String.format(
                  Locale.ROOT,
                  "TCB value %s is %d bytes; the policy's minimum must be as many, in hex",
                  name,
                  bytes.value().length()));
        }
        byte[] have = bytes.value().toByteArray();
        byte[] least = Octets.fromHex(minimum, "minimum").toByteArray();
        for (int i = 0; i < have.length; i++) {
          if (Byte.toUnsignedInt(have[i]) < Byte.toUnsignedInt(least[i])) {
            return Optional.of(
                String.format(
                    Locale.ROOT,
                    "TCB value %s = %s is below the minimum %s (component %d)",
                    name,
                    bytes,
                    minimum,
                    i));
          }
        }
        return Optional.empty();
      }
      case ClaimValue.Text text -> {
        return Optional.of("TCB value " + name + " is text (" + text + "), which has no order");
      }
    }
  }

  private static boolean isHex(String text) {
    return text.length() % 2 == 0 && text.matches("[0-9a-f]*");
  }
}
