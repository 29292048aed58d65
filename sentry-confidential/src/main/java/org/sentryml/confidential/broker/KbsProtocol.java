package org.sentryml.confidential.broker;

import java.util.Optional;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;

/**
 * The fixed names of the KBS attestation protocol v0.4.0 as Sentry speaks it: endpoints, the
 * session cookie, and how a data key id maps to a resource path ({@code
 * /kbs/v0/resource/sentry/<model|dataset>-key/<artifact>@<version>}).
 */
public final class KbsProtocol {
  /** The protocol version this implementation speaks and sends. */
  public static final String VERSION = "0.4.0";

  /** {@code POST}: a {@link KbsRequest} in, a {@link KbsChallenge} and a session cookie out. */
  public static final String AUTH = "/kbs/v0/auth";

  /** {@code POST}: a {@link KbsAttestation} in, an attestation token out. */
  public static final String ATTEST = "/kbs/v0/attest";

  /** The prefix of every resource path. */
  public static final String RESOURCE = "/kbs/v0/resource/";

  /**
   * The prefix of the checkpoint records, Sentry's own endpoint beside the protocol's: {@code POST}
   * a {@link CheckpointRecord} to {@code /kbs/v0/checkpoint/<run-id>}, {@code GET} the last one,
   * {@code DELETE} when the run finished; the same attested session as a key fetch.
   */
  public static final String CHECKPOINT = "/kbs/v0/checkpoint/";

  /** The cookie that carries the session id. */
  public static final String COOKIE = "kbs-session-id";

  /** The resource repository that holds Sentry's data keys. */
  public static final String REPOSITORY = "sentry";

  /** The JWE key management algorithm, and so the {@code alg} of every tee-pubkey. */
  public static final String KEY_ALGORITHM = "ECDH-ES+A256KW";

  /** The JWE content encryption. */
  public static final String CONTENT_ENCRYPTION = "A256GCM";

  /** The namespace of problem types (RFC 7807), as Trustee's KBS names them. */
  public static final String PROBLEM_PREFIX =
      "https://github.com/confidential-containers/kbs/errors/";

  /** The namespace of the problem types Sentry's own endpoints add (conflicts, absent records). */
  public static final String SENTRY_PROBLEM_PREFIX = "https://sentryml.org/kbs/errors/";

  private KbsProtocol() {}

  /**
   * The checkpoint path of {@code runId}.
   *
   * @throws IllegalArgumentException when it is not a run id ({@link
   *     CheckpointRecord#RUN_ID_SYNTAX})
   */
  public static String checkpointPath(String runId) {
    if (!CheckpointRecord.isRunId(runId)) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    return CHECKPOINT + runId;
  }

  /** The run id named by a checkpoint path, if it names one. */
  public static Optional<String> runIdOf(String path) {
    if (!path.startsWith(CHECKPOINT)) {
      return Optional.empty();
    }
    String run = path.substring(CHECKPOINT.length());
    return CheckpointRecord.isRunId(run) ? Optional.of(run) : Optional.empty();
  }

  /** The resource path of data key {@code id}. */
  public static String resourcePath(KeyId id) {
    return RESOURCE
        + REPOSITORY
        + "/"
        + id.kind().id()
        + "-key/"
        + id.artifact()
        + "@"
        + id.version();
  }

  /**
   * The data key named by a resource path ({@code /kbs/v0/resource/<repository>/<type>/<tag>}), if
   * it names one: the repository must be {@value #REPOSITORY}, the type {@code model-key} or {@code
   * dataset-key}, the tag {@code <artifact>@<version>}.
   */
  public static Optional<KeyId> keyIdOf(String path) {
    if (!path.startsWith(RESOURCE)) {
      return Optional.empty();
    }
    String[] parts = path.substring(RESOURCE.length()).split("/", -1);
    if (parts.length != 3 || !parts[0].equals(REPOSITORY) || !parts[1].endsWith("-key")) {
      return Optional.empty();
    }
    String kind = parts[1].substring(0, parts[1].length() - "-key".length());
    return ArtifactKind.of(kind).flatMap(k -> KeyId.of(k, parts[2]));
  }
}
