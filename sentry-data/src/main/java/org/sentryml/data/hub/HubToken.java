package org.sentryml.data.hub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sentryml.core.io.BoundedFiles;

/**
 * A Hugging Face access token. {@link #toString()} never shows the value, so a token cannot end up
 * in a log or an exception message by accident.
 */
public final class HubToken {
  /** The file a token may be kept in, in the working directory. */
  public static final String WORKING_DIRECTORY_FILE = "hf_access_token";

  private final String value;

  private HubToken(String value) {
    this.value = value;
  }

  /** Wraps a token; surrounding white space (a trailing newline from a file) is dropped. */
  public static HubToken of(String value) {
    String trimmed = Objects.requireNonNull(value, "value").strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("an access token is not empty");
    }
    return new HubToken(trimmed);
  }

  /** The token from this process's environment, working directory and home folder. */
  public static Optional<HubToken> fromEnvironment() {
    return find(System.getenv(), Path.of(""), Path.of(System.getProperty("user.home")));
  }

  /**
   * Looks for a token in this order: the {@code HF_TOKEN} variable, the file {@code $HF_TOKEN_PATH}
   * (as huggingface_hub reads it; a Docker secret, for instance), a file {@value
   * #WORKING_DIRECTORY_FILE} in {@code workingDirectory}, then {@code $HF_HOME/token} (with {@code
   * HF_HOME} defaulting as in {@link HubCache#hfHome}). Blank values count as absent.
   *
   * @throws org.sentryml.core.errors.SentryException if a token file exists but cannot be read
   */
  public static Optional<HubToken> find(
      Map<String, String> env, Path workingDirectory, Path userHome) {
    String fromEnv = env.get("HF_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(of(fromEnv));
    }
    String tokenPath = env.get("HF_TOKEN_PATH");
    if (tokenPath != null && !tokenPath.isBlank()) {
      Optional<HubToken> fromPath = readIfPresent(Path.of(tokenPath));
      if (fromPath.isPresent()) {
        return fromPath;
      }
    }
    Optional<HubToken> local = readIfPresent(workingDirectory.resolve(WORKING_DIRECTORY_FILE));
    if (local.isPresent()) {
      return local;
    }
    return readIfPresent(HubCache.hfHome(env, userHome).resolve("token"));
  }

  private static Optional<HubToken> readIfPresent(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text =
        new String(
            BoundedFiles.read(file, BoundedFiles.MAX_PASSWORD_BYTES, "token file"),
            StandardCharsets.UTF_8);
    return text.isBlank() ? Optional.empty() : Optional.of(of(text));
  }

  /** The value for an {@code Authorization: Bearer} header; never print it. */
  String value() {
    return value;
  }

  @Override
  public String toString() {
    return "HubToken[redacted]";
  }
}
