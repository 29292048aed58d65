package org.sentryml.confidential.broker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.Set;
import org.sentryml.confidential.tee.Evidence;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * The protocol's {@code Attestation} ({@code POST /kbs/v0/attest}): the runtime data (the
 * challenge's nonce and the TEE's ephemeral public key as a JWK), whose hash the evidence's report
 * data must carry, and the evidence. {@code init-data} is accepted ({@code format} and {@code body}
 * strings) and not used; {@code additional_evidence} must be empty ({@code ""} or {@code "{}"}):
 * Sentry verifies one piece of evidence per attestation. Immutable.
 *
 * @param nonce {@code runtime-data.nonce}
 * @param teePubkeyJwk {@code runtime-data.tee-pubkey} as compact JSON text
 * @param primaryEvidence {@code tee-evidence.primary_evidence}, decoded by {@link #evidence}
 */
public record KbsAttestation(String nonce, String teePubkeyJwk, JsonObject primaryEvidence) {
  private static final String WHAT = "KBS attestation";
  private static final Set<String> MEMBERS = Set.of("init-data", "runtime-data", "tee-evidence");
  private static final Set<String> RUNTIME_MEMBERS = Set.of("nonce", "tee-pubkey");
  private static final Set<String> EVIDENCE_MEMBERS =
      Set.of("primary_evidence", "additional_evidence");
  private static final Set<String> INIT_DATA_MEMBERS = Set.of("format", "body");

  public KbsAttestation {
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(teePubkeyJwk, "teePubkeyJwk");
    primaryEvidence = primaryEvidence.deepCopy();
  }

  /** The attestation of {@code evidence}, bound to {@code nonce} and {@code teePubkeyJwk}. */
  public static KbsAttestation of(String nonce, String teePubkeyJwk, Evidence evidence) {
    return new KbsAttestation(nonce, teePubkeyJwk, EvidenceEncoding.encode(evidence));
  }

  /**
   * Parses an attestation body.
   *
   * @throws MalformedInputException for unknown members, missing ones, or additional evidence
   */
  public static KbsAttestation parse(byte[] body) {
    JsonObject json = Messages.parse(body, WHAT, MEMBERS);
    JsonFields fields = new JsonFields(json, "", WHAT);
    if (fields.has("init-data")) {
      JsonFields initData = fields.object("init-data");
      Messages.onlyMembers(
          json.getAsJsonObject("init-data"), WHAT + " init-data", INIT_DATA_MEMBERS);
      initData.string("format");
      initData.string("body");
    }
    JsonFields runtime = fields.object("runtime-data");
    Messages.onlyMembers(
        json.getAsJsonObject("runtime-data"), WHAT + " runtime-data", RUNTIME_MEMBERS);
    String nonce = runtime.string("nonce");
    runtime.object("tee-pubkey");
    String jwk = Messages.text(json.getAsJsonObject("runtime-data").get("tee-pubkey"));
    JsonFields evidence = fields.object("tee-evidence");
    JsonObject evidenceJson = json.getAsJsonObject("tee-evidence");
    Messages.onlyMembers(evidenceJson, WHAT + " tee-evidence", EVIDENCE_MEMBERS);
    evidence.object("primary_evidence");
    JsonObject primary = evidenceJson.getAsJsonObject("primary_evidence");
    if (evidence.has("additional_evidence")) {
      String additional = evidence.string("additional_evidence");
      if (!additional.isEmpty()
          && !StrictJson.parseObject(additional, WHAT + " additional_evidence").isEmpty()) {
        throw evidence.error(
            "additional_evidence",
            "is not empty; Sentry verifies one piece of evidence per attestation");
      }
    }
    return new KbsAttestation(nonce, jwk, primary);
  }

  /**
   * The evidence, read as the session's TEE type.
   *
   * @throws MalformedInputException when it is not in that type's form
   */
  public Evidence evidence(EvidenceType type) {
    return EvidenceEncoding.decode(type, primaryEvidence);
  }

  /** A copy of {@code tee-evidence.primary_evidence}. */
  @Override
  public JsonObject primaryEvidence() {
    return primaryEvidence.deepCopy();
  }

  /** The attestation body. */
  public byte[] toJson() {
    JsonObject runtime = new JsonObject();
    runtime.addProperty("nonce", nonce);
    JsonElement jwk = StrictJson.parseObject(teePubkeyJwk, "tee-pubkey JWK");
    runtime.add("tee-pubkey", jwk);
    JsonObject evidence = new JsonObject();
    evidence.add("primary_evidence", primaryEvidence.deepCopy());
    evidence.addProperty("additional_evidence", "");
    JsonObject json = new JsonObject();
    json.add("runtime-data", runtime);
    json.add("tee-evidence", evidence);
    return Messages.bytes(json);
  }
}
