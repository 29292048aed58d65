package org.sentryml.confidential.encryption;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of one data key: {@code sentry:<model|dataset>/<artifact>@<version>}, one key per version
 * of an artifact (DESIGN §8). Artifact names and versions are restricted to {@link #NAME_SYNTAX},
 * so that an id is one segment of a key-broker resource path and maps to a file name without
 * escaping. Immutable.
 *
 * @param kind what the artifact is
 * @param artifact the artifact's name, e.g. {@code mnist-cnn}
 * @param version the artifact's version, e.g. {@code 3} or {@code 2025-06-01}
 */
public record KeyId(ArtifactKind kind, String artifact, String version) {
  /**
   * The characters of an artifact name or a version: a letter or digit first, at most 128 in all.
   */
  public static final String NAME_SYNTAX = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  /** How a key id is written, for messages. */
  public static final String SYNTAX = "sentry:<model|dataset>/<artifact>@<version>";

  private static final Pattern NAME = Pattern.compile(NAME_SYNTAX);
  private static final Pattern ID =
      Pattern.compile("sentry:([a-z]+)/(" + NAME_SYNTAX + ")@(" + NAME_SYNTAX + ")");

  public KeyId {
    if (kind == null || !isName(artifact) || !isName(version)) {
      throw new IllegalArgumentException(
          "not a valid key id: " + kind + "/" + artifact + "@" + version);
    }
  }

  /** The key id written as {@link #SYNTAX}, if {@code text} is one. */
  public static Optional<KeyId> parse(String text) {
    Matcher m = ID.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return ArtifactKind.of(m.group(1)).map(kind -> new KeyId(kind, m.group(2), m.group(3)));
  }

  /** The key id of {@code artifactAtVersion} ({@code <artifact>@<version>}), if it is one. */
  public static Optional<KeyId> of(ArtifactKind kind, String artifactAtVersion) {
    int at = artifactAtVersion.lastIndexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    String artifact = artifactAtVersion.substring(0, at);
    String version = artifactAtVersion.substring(at + 1);
    return isName(artifact) && isName(version)
        ? Optional.of(new KeyId(kind, artifact, version))
        : Optional.empty();
  }

  private static boolean isName(String text) {
    return text != null && NAME.matcher(text).matches();
  }

  @Override
  public String toString() {
    return "sentry:" + kind.id() + "/" + artifact + "@" + version;
  }
}
