package org.sentryml.confidential.tee;

import java.util.Objects;

/**
 * One value of a claim: a number (an SVN, a version, a privilege level), bytes (a measurement
 * register, an SVN vector, an identifier) or text (a firmware version string, a product line).
 */
public sealed interface ClaimValue {
  /**
   * An unsigned integer read from the evidence, of up to 64 bits: compare with {@link
   * Long#compareUnsigned}.
   */
  record Numeric(long value) implements ClaimValue {
    /** The value in decimal, as unsigned. */
    @Override
    public String toString() {
      return Long.toUnsignedString(value);
    }
  }

  /** Bytes as they appear in the evidence. */
  record Bytes(Octets value) implements ClaimValue {
    public Bytes {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return value.hex();
    }
  }

  /** Text the evidence carries. */
  record Text(String value) implements ClaimValue {
    public Text {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return value;
    }
  }
}
