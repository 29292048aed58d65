package org.sentryml.confidential.broker;

import java.util.Objects;

/**
 * One client a key's policy names: by certificate subject (RFC 2253 text, compared exactly) or by
 * one subject alternative name (compared exactly; DNS names without regard to ASCII case).
 */
record ClientMatcher(Kind kind, String value) {
  enum Kind {
    SUBJECT,
    SAN
  }

  ClientMatcher {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
  }

  boolean matches(ClientIdentity client) {
    return switch (kind) {
      case SUBJECT -> client.subject().equals(value);
      case SAN -> client.sans().stream().anyMatch(value::equalsIgnoreCase);
    };
  }

  @Override
  public String toString() {
    return (kind == Kind.SUBJECT ? "subject " : "san ") + value;
  }
}
