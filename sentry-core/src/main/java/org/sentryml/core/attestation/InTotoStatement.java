package org.sentryml.core.attestation;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-toto Statement v1 as carried in a DSSE payload. {@link StatementParser} only builds
 * statements with exactly one subject that has a valid {@code sha256} digest.
 *
 * @param subjects the subjects, in document order
 * @param predicateType the predicate type URI, not empty
 * @param predicate the predicate object (a private deep copy; the accessor returns a new copy)
 */
public record InTotoStatement(List<Subject> subjects, String predicateType, JsonObject predicate) {
  /** The {@code _type} of in-toto Statement v1. */
  public static final String TYPE = "https://in-toto.io/Statement/v1";

  /**
   * One statement subject.
   *
   * @param name the subject name, not empty
   * @param digest algorithm name to lowercase hex value, at least one entry
   */
  public record Subject(String name, Map<String, String> digest) {
    public Subject {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("subject name is empty");
      }
      digest = Map.copyOf(digest);
      if (digest.isEmpty()) {
        throw new IllegalArgumentException("subject " + name + " has no digest");
      }
    }
  }

  public InTotoStatement {
    subjects = List.copyOf(subjects);
    Objects.requireNonNull(predicateType, "predicateType");
    Objects.requireNonNull(predicate, "predicate");
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException("statement has no subject");
    }
    if (predicateType.isEmpty()) {
      throw new IllegalArgumentException("statement predicateType is empty");
    }
    predicate = predicate.deepCopy();
  }

  @Override
  public JsonObject predicate() {
    return predicate.deepCopy();
  }

  /** The single subject of a statement built by {@link StatementParser}. */
  public Subject subject() {
    return subjects.get(0);
  }

  /** The subject's {@code sha256} digest in lowercase hex. */
  public String subjectSha256() {
    String hex = subject().digest().get("sha256");
    if (hex == null) {
      throw new IllegalStateException("subject " + subject().name() + " has no sha256 digest");
    }
    return hex;
  }
}
