package org.sentryml.confidential.broker;

import com.google.crypto.tink.KeysetHandle;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.tee.Claims;
import org.sentryml.confidential.tee.DebugFlag;
import org.sentryml.confidential.tee.Evidence;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.EvidenceVerifiers;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;

/**
 * The key server's protocol core, without HTTP: the three steps of the KBS protocol for one client
 * at a time, each decided, audited (and forced to disk) before it takes effect.
 *
 * <ul>
 *   <li>{@link #auth}: a fresh 32-byte nonce and a session bound to the client certificate; the
 *       session must attest within the challenge time.
 *   <li>{@link #attest}: the nonce is taken once (a second attestation on the session is a replay),
 *       must be the session's own (not another session's), the evidence must verify against the
 *       vendor roots, must not be from a debuggable environment, and its report data must bind the
 *       nonce and the TEE's ephemeral key. Any failure ends the session.
 *   <li>{@link #resource}: one key per request, to an attested session of the same client
 *       certificate, if the policy grants the client that key (else 403) and the session's evidence
 *       satisfies the key's rules (else 401); the keyset goes out as a JWE to the TEE's key.
 *   <li>{@link #checkpoint}: Sentry's checkpoint records, to an attested session exactly as a key
 *       fetch, if the policy's {@code checkpoints} rule grants the client (else 403) and its
 *       evidence satisfies it (else 401). A run is recorded by the client certificate that first
 *       recorded it (another gets 403, for reading too); a record must be of a newer step than the
 *       last (the same step and digest again is an idempotent retry; anything else is 409), so a
 *       checkpoint folder rolled back to an older step cannot be recorded as current again.
 * </ul>
 *
 * <p>Nonces, session ids and keys never reach the audit log; a session appears there by a tag (the
 * first 8 bytes of the SHA-256 of its id). Thread-safe.
 */
public final class BrokerService {
  /** How long sessions and challenges last. */
  public record Lifetimes(Duration challenge, Duration session) {
    /** A challenge must be answered in a minute; an attested session lasts five. */
    public static final Lifetimes DEFAULT =
        new Lifetimes(Duration.ofMinutes(1), Duration.ofMinutes(5));

    public Lifetimes {
      if (challenge.isNegative()
          || challenge.isZero()
          || session.isNegative()
          || session.isZero()) {
        throw new IllegalArgumentException("lifetimes must be positive");
      }
    }
  }

  /** Sessions kept before expired ones are swept on the next challenge. */
  private static final int SWEEP_ABOVE = 4096;

  private final KeyPolicy policy;
  private final KeysetSource keys;
  private final CheckpointRecords checkpoints;
  private final AuditLog audit;
  private final Clock clock;
  private final Lifetimes lifetimes;
  private final AttestationToken tokens;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Session> byTokenId = new ConcurrentHashMap<>();

  /**
   * @param clock the time for sessions, tokens and the validity of evidence certificates (tests pin
   *     it where the vendors' sample chains have expired)
   */
  public BrokerService(
      KeyPolicy policy,
      KeysetSource keys,
      CheckpointRecords checkpoints,
      AuditLog audit,
      Clock clock,
      Lifetimes lifetimes) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lifetimes = Objects.requireNonNull(lifetimes, "lifetimes");
    this.tokens = new AttestationToken("sentry-keyserver");
  }

  /** {@code POST /kbs/v0/auth}. */
  public KbsReply auth(ClientIdentity client, byte[] body) {
    KbsRequest request;
    try {
      request = KbsRequest.parse(body);
    } catch (SentryException e) {
      return refuse(line("auth", client, null), 401, "SerdeError", e.getMessage());
    }
    Instant now = clock.instant();
    sweep(now);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    String nonce = Base64.getEncoder().encodeToString(randomBytes());
    Session session =
        new Session(
            id,
            tag(id),
            client.fingerprint(),
            request.tee(),
            nonce,
            now.plus(lifetimes.challenge()));
    JsonObject line = line("auth", client, session);
    line.addProperty("tee", request.tee().id());
    insecureNote(line, request.tee());
    allow(line, "challenge issued");
    sessions.put(id, session);
    return KbsReply.ok(new KbsChallenge(nonce).toJson(), Optional.of(cookie(session)));
  }

  /** {@code POST /kbs/v0/attest}, with the session id from the cookie (null when none came). */
  public KbsReply attest(ClientIdentity client, @Nullable String sessionId, byte[] body) {
    Instant now = clock.instant();
    Session session = sessionId == null ? null : sessions.get(sessionId);
    JsonObject line = line("attest", client, session);
    if (session == null || session.expiredAt(now)) {
      return refuse(
          line, 401, "AttestationError", "no live session: POST " + KbsProtocol.AUTH + " first");
    }
    line.addProperty("tee", session.tee.id());
    insecureNote(line, session.tee);
    if (!session.clientFingerprint.equals(client.fingerprint())) {
      return refuse(
          line, 401, "AttestationError", "the session belongs to another client certificate");
    }
    if (session.attested() != null || !session.takeNonce()) {
      sessions.remove(session.id);
      return refuse(
          line,
          401,
          "AttestationError",
          "replayed attestation: the session's nonce was already used; start again at "
              + KbsProtocol.AUTH);
    }
    // From here on the nonce is spent: a refused attestation ends the session.
    KbsAttestation attestation;
    Evidence evidence;
    try {
      attestation = KbsAttestation.parse(body);
      evidence = attestation.evidence(session.tee);
    } catch (SentryException e) {
      sessions.remove(session.id);
      return refuse(line, 401, "SerdeError", e.getMessage());
    }
    if (!MessageDigest.isEqual(
        attestation.nonce().getBytes(StandardCharsets.UTF_8),
        session.nonce.getBytes(StandardCharsets.UTF_8))) {
      sessions.remove(session.id);
      return refuse(
          line,
          401,
          "AttestationError",
          "foreign nonce: runtime-data.nonce is not the challenge of this session");
    }
    Claims claims;
    try {
      claims = EvidenceVerifiers.verify(evidence, now);
    } catch (SentryException e) {
      sessions.remove(session.id);
      return refuse(line, 401, "AttestationError", "evidence refused: " + e.getMessage());
    }
    line.add("evidence", ClaimsJson.of(claims));
    if (claims.debug() == DebugFlag.SET) {
      sessions.remove(session.id);
      return refuse(
          line,
          401,
          "AttestationError",
          "debug mode: the evidence says the environment is debuggable");
    }
    ECKey teeKey;
    boolean bound;
    try {
      bound = claims.bindsNonceAndKey(attestation.nonce(), attestation.teePubkeyJwk());
      teeKey = KeysetJwe.recipient(attestation.teePubkeyJwk());
    } catch (SentryException e) {
      sessions.remove(session.id);
      return refuse(line, 401, "AttestationError", e.getMessage());
    }
    if (!bound) {
      sessions.remove(session.id);
      return refuse(
          line,
          401,
          "AttestationError",
          "report data does not bind this attestation: it is not SHA-384 of the runtime data "
              + "(the session's nonce and this tee-pubkey)");
    }
    String tokenId = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    Instant until = now.plus(lifetimes.session());
    String token;
    try {
      token =
          tokens.issue(
              tokenId,
              now,
              until,
              attestation.teePubkeyJwk(),
              JSONObjectUtils.parse(Messages.text(ClaimsJson.of(claims))),
              evaluation(claims));
    } catch (ParseException e) {
      throw new IllegalStateException("claims JSON does not parse back", e);
    }
    allow(line, "evidence verified and bound to the session's nonce and tee-pubkey");
    session.attested(new Session.Attested(claims, teeKey, tokenId), until);
    byTokenId.put(tokenId, session);
    JsonObject reply = new JsonObject();
    reply.addProperty("token", token);
    return KbsReply.ok(Messages.bytes(reply), Optional.of(cookie(session)));
  }

  /**
   * {@code GET /kbs/v0/resource/...}, with the session id from the cookie and the bearer token from
   * the {@code Authorization} header (either may be null).
   */
  public KbsReply resource(
      ClientIdentity client, @Nullable String sessionId, @Nullable String bearer, String path) {
    Instant now = clock.instant();
    Session session = lookup(sessionId, bearer, now);
    JsonObject line = line("resource", client, session);
    Optional<KeyId> id = KbsProtocol.keyIdOf(path);
    line.addProperty("resource", path.length() > 512 ? path.substring(0, 512) : path);
    id.ifPresent(k -> line.addProperty("key_id", k.toString()));
    KbsReply unattested = refuseUnattested(line, session, client, now);
    if (unattested != null) {
      return unattested;
    }
    // Checked there: an attested session of this client.
    Session.Attested attested = java.util.Objects.requireNonNull(session).attested();
    if (id.isEmpty()) {
      return refuse(
          line,
          404,
          "InvalidRequestPath",
          "not a key resource: expected "
              + KbsProtocol.RESOURCE
              + KbsProtocol.REPOSITORY
              + "/<model|dataset>-key/<artifact>@<version>");
    }
    PolicyDecision decision = policy.decide(id.get(), client, attested.claims());
    // Allowed: released below, once the key is found and the line is on disk.
    KbsReply denied = refuseDenied(line, decision);
    if (denied != null) {
      return denied;
    }
    KeysetHandle keyset;
    try {
      keyset = keys.keyset(id.get());
    } catch (PathException e) {
      return refuse(line, 404, "InvalidRequestPath", "the key store holds no key " + id.get());
    } catch (SentryException e) {
      return refuse(
          line,
          500,
          "PluginInternalError",
          "the key " + id.get() + " cannot be read from the key store");
    }
    allow(line, decision.reason());
    return KbsReply.ok(KeysetJwe.encrypt(keyset, attested.teeKey()), Optional.empty());
  }

  /** The refusal a policy decision other than allowed calls for (audited), or null. */
  private @Nullable KbsReply refuseDenied(JsonObject line, PolicyDecision decision) {
    return switch (decision.verdict()) {
      case NOT_GRANTED -> refuse(line, 403, "PolicyDeny", decision.reason());
      case EVIDENCE_REFUSED -> refuse(line, 401, "PolicyDeny", decision.reason());
      case ALLOWED -> null;
    };
  }

  /**
   * The refusal of a request that has no attested session of this client (audited through {@code
   * line}), or null after noting the session's TEE and evidence in {@code line}.
   */
  private @Nullable KbsReply refuseUnattested(
      JsonObject line, @Nullable Session session, ClientIdentity client, Instant now) {
    Session.Attested attested = session == null ? null : session.attested();
    if (session == null || attested == null || session.expiredAt(now)) {
      return refuse(
          line,
          401,
          "TokenNotFound",
          "no attested session: attest at " + KbsProtocol.ATTEST + " first");
    }
    line.addProperty("tee", session.tee.id());
    insecureNote(line, session.tee);
    line.add("evidence", ClaimsJson.of(attested.claims()));
    if (!session.clientFingerprint.equals(client.fingerprint())) {
      return refuse(
          line, 401, "TokenVerifierError", "the session belongs to another client certificate");
    }
    return null;
  }

  /**
   * {@code GET}, {@code POST} or {@code DELETE} {@code /kbs/v0/checkpoint/<run-id>}, with the
   * session as for {@link #resource}: the run's last record (404 when none), a new record ({@code
   * body} a {@link CheckpointRecord}), or forgetting the run. Each answer is audited; a record is
   * audited, then made durable, then answered.
   */
  public KbsReply checkpoint(
      ClientIdentity client,
      @Nullable String sessionId,
      @Nullable String bearer,
      String method,
      String path,
      byte[] body) {
    Instant now = clock.instant();
    Session session = lookup(sessionId, bearer, now);
    JsonObject line = line("checkpoint", client, session);
    line.addProperty("method", method);
    line.addProperty("resource", path.length() > 512 ? path.substring(0, 512) : path);
    KbsReply unattested = refuseUnattested(line, session, client, now);
    if (unattested != null) {
      return unattested;
    }
    // Checked there: an attested session of this client.
    Session.Attested attested = java.util.Objects.requireNonNull(session).attested();
    Optional<String> run = KbsProtocol.runIdOf(path);
    if (run.isEmpty()) {
      return refuse(
          line,
          400,
          "InvalidRequestPath",
          "not a checkpoint path: expected "
              + KbsProtocol.CHECKPOINT
              + "<run-id>, the run id "
              + CheckpointRecord.RUN_ID_SYNTAX);
    }
    line.addProperty("run", run.get());
    PolicyDecision decision = policy.decideCheckpoints(client, attested.claims());
    // Allowed: decided below, against the run's record.
    KbsReply denied = refuseDenied(line, decision);
    if (denied != null) {
      return denied;
    }
    CheckpointRecord record = null;
    if (method.equals("POST")) {
      if (body.length > CheckpointRecord.MAX_BODY_BYTES) {
        return refuse(
            line,
            413,
            "SerdeError",
            "a checkpoint record is at most " + CheckpointRecord.MAX_BODY_BYTES + " bytes");
      }
      try {
        record = CheckpointRecord.parse(body);
      } catch (SentryException e) {
        return refuse(line, 400, "SerdeError", e.getMessage());
      }
      line.addProperty("step", Long.toString(record.step()));
      line.addProperty("sha256", record.digest().hex());
    } else if (body.length > 0) {
      return refuse(line, 400, "SerdeError", method + " of a checkpoint takes no body");
    }
    // One decision at a time, so that two records of one run cannot both pass the step check.
    synchronized (checkpoints) {
      Optional<CheckpointRecords.Owned> owned = checkpoints.get(run.get());
      if (owned.isPresent() && !owned.get().fingerprint().equals(client.fingerprint())) {
        return refuse(
            line,
            403,
            "PolicyDeny",
            "run " + run.get() + " is recorded by another client certificate");
      }
      return switch (method) {
        case "GET" -> latest(line, run.get(), owned);
        case "POST" -> record(line, client, run.get(), owned, Objects.requireNonNull(record));
        case "DELETE" -> finish(line, run.get(), owned);
        default -> refuse(line, 405, "InvalidRequestPath", "use GET, POST or DELETE here");
      };
    }
  }

  private KbsReply latest(JsonObject line, String run, Optional<CheckpointRecords.Owned> owned) {
    if (owned.isEmpty()) {
      return refuseSentry(line, 404, "CheckpointNotFound", "no checkpoint recorded for run " + run);
    }
    CheckpointRecord record = owned.get().record();
    line.addProperty("step", Long.toString(record.step()));
    line.addProperty("sha256", record.digest().hex());
    allow(line, "the run's last recorded checkpoint");
    return KbsReply.ok(record.toBytes(), Optional.empty());
  }

  private KbsReply record(
      JsonObject line,
      ClientIdentity client,
      String run,
      Optional<CheckpointRecords.Owned> owned,
      CheckpointRecord record) {
    if (owned.isPresent()) {
      CheckpointRecord last = owned.get().record();
      line.addProperty("recorded_step", Long.toString(last.step()));
      if (record.step() == last.step() && record.digest().matches(last.digest())) {
        allow(line, "step " + record.step() + " is already recorded with this digest (a retry)");
        return KbsReply.ok(record.toBytes(), Optional.empty());
      }
      if (record.step() == last.step()) {
        return refuseSentry(
            line,
            409,
            "CheckpointConflict",
            "step "
                + record.step()
                + " of run "
                + run
                + " is already recorded with another digest");
      }
      if (record.step() < last.step()) {
        return refuseSentry(
            line,
            409,
            "CheckpointConflict",
            "step "
                + record.step()
                + " is older than step "
                + last.step()
                + " recorded for run "
                + run
                + ": records only move forward");
      }
    } else if (checkpoints.size() >= CheckpointRecords.MAX_RUNS) {
      return refuseSentry(
          line,
          507,
          "CheckpointLimit",
          "the key server records at most "
              + CheckpointRecords.MAX_RUNS
              + " unfinished runs; finished runs are forgotten");
    }
    allow(line, owned.isPresent() ? "a newer step" : "the run's first record");
    try {
      checkpoints.put(
          run, new CheckpointRecords.Owned(record, client.fingerprint(), client.subject()));
    } catch (SentryException e) {
      return refuse(line, 500, "PluginInternalError", "the checkpoint records cannot be written");
    }
    return KbsReply.ok(record.toBytes(), Optional.empty());
  }

  private KbsReply finish(JsonObject line, String run, Optional<CheckpointRecords.Owned> owned) {
    if (owned.isEmpty()) {
      return refuseSentry(line, 404, "CheckpointNotFound", "no checkpoint recorded for run " + run);
    }
    allow(line, "the run finished: its record is forgotten");
    try {
      checkpoints.remove(run);
    } catch (SentryException e) {
      return refuse(line, 500, "PluginInternalError", "the checkpoint records cannot be written");
    }
    JsonObject reply = new JsonObject();
    reply.addProperty("run", run);
    return KbsReply.ok(Messages.bytes(reply), Optional.empty());
  }

  /** The session of the cookie, else of the bearer token; null when neither names a live one. */
  private @Nullable Session lookup(
      @Nullable String sessionId, @Nullable String bearer, Instant now) {
    Session session = sessionId == null ? null : sessions.get(sessionId);
    if (session == null && bearer != null) {
      session = tokens.verify(bearer, now).map(byTokenId::get).orElse(null);
    }
    return session;
  }

  /** Drops expired sessions once there are many. */
  private void sweep(Instant now) {
    if (sessions.size() <= SWEEP_ABOVE) {
      return;
    }
    for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
      Session session = it.next();
      if (session.expiredAt(now)) {
        it.remove();
        Session.Attested attested = session.attested();
        if (attested != null) {
          byTokenId.remove(attested.tokenId());
        }
      }
    }
  }

  private String cookie(Session session) {
    long seconds = Math.max(1, Duration.between(clock.instant(), session.expires()).toSeconds());
    return KbsProtocol.COOKIE
        + "="
        + session.id
        + "; Max-Age="
        + seconds
        + "; Path=/kbs; Secure; HttpOnly";
  }

  private static String evaluation(Claims claims) {
    return claims.type().hardwareBacked()
        ? claims.type().displayName()
            + " verified against the pinned vendor roots and bound to the session"
        : SampleAttester.WARNING;
  }

  private JsonObject line(String event, ClientIdentity client, @Nullable Session session) {
    JsonObject line = new JsonObject();
    line.addProperty("event", event);
    JsonObject who = new JsonObject();
    who.addProperty("subject", client.subject());
    JsonArray sans = new JsonArray();
    client.sans().forEach(sans::add);
    who.add("sans", sans);
    who.addProperty("fingerprint", client.fingerprint());
    line.add("client", who);
    if (session != null) {
      line.addProperty("session", session.tag);
    }
    return line;
  }

  private static void insecureNote(JsonObject line, EvidenceType tee) {
    if (!tee.hardwareBacked()) {
      line.addProperty("insecure", SampleAttester.WARNING);
    }
  }

  private void allow(JsonObject line, String reason) {
    line.addProperty("decision", "allowed");
    line.addProperty("status", 200);
    line.addProperty("reason", reason);
    audit.append(line);
  }

  private KbsReply refuse(JsonObject line, int status, String type, String reason) {
    return audited(line, status, reason) ? KbsReply.problem(status, type, reason) : auditFailed();
  }

  /** As {@link #refuse}, with a problem type in Sentry's namespace. */
  private KbsReply refuseSentry(JsonObject line, int status, String type, String reason) {
    return audited(line, status, reason)
        ? KbsReply.sentryProblem(status, type, reason)
        : auditFailed();
  }

  private boolean audited(JsonObject line, int status, String reason) {
    line.addProperty("decision", "refused");
    line.addProperty("status", status);
    line.addProperty("reason", reason);
    try {
      audit.append(line);
      return true;
    } catch (IoFailureException e) {
      return false;
    }
  }

  private static KbsReply auditFailed() {
    return KbsReply.problem(500, "PluginInternalError", "the audit log cannot be written");
  }

  private byte[] randomBytes() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String tag(String sessionId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(sessionId.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every Java runtime", e);
    }
  }
}
