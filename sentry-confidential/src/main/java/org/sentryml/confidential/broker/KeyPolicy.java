package org.sentryml.confidential.broker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.tee.Claims;
import org.sentryml.confidential.tee.DebugFlag;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * Which host may receive which data key (docs/FORMAT.md, "Key policy"): per key id, the client
 * certificates granted it, the evidence types accepted with their reference measurements and
 * minimum TCB, and whether insecure {@code sample} evidence is allowed; under {@code checkpoints},
 * the same rule for who may record training checkpoints. Deny by default: a key the policy does not
 * name is released to nobody, a policy without {@code checkpoints} lets nobody record, an evidence
 * type it does not list is refused, and evidence of a debuggable environment is refused whatever
 * the policy says. Pure data and decisions, no I/O after parsing; immutable and thread-safe.
 */
public final class KeyPolicy {
  /** The {@code format} member every policy file carries. */
  public static final String FORMAT = "https://sentryml.org/key-policy/v1";

  private static final long MAX_BYTES = 4L << 20;
  private static final Set<String> TOP = Set.of("format", "keys", "checkpoints");
  private static final Set<String> KEY = Set.of("clients", "evidence", "allow_insecure_sample");
  private static final Set<String> CLIENT = Set.of("subject", "san");
  private static final Set<String> EVIDENCE = Set.of("reference_values", "min_tcb");

  /** One key's rules. */
  private record KeyRule(
      List<ClientMatcher> clients, Map<EvidenceType, EvidenceRule> evidence, boolean allowSample) {}

  private final Map<KeyId, KeyRule> rules;
  private final Optional<KeyRule> checkpoints;

  private KeyPolicy(Map<KeyId, KeyRule> rules, Optional<KeyRule> checkpoints) {
    this.rules = Map.copyOf(rules);
    this.checkpoints = checkpoints;
  }

  /** Reads the policy file {@code file}. */
  public static KeyPolicy read(Path file) {
    return parse(BoundedFiles.read(file, MAX_BYTES, "key policy"), "key policy " + file);
  }

  /**
   * Parses a policy.
   *
   * @param what names the document in messages
   * @throws MalformedInputException for anything but the documented members, an invalid key id, an
   *     empty client or reference-value list, or {@code sample} evidence listed without {@code
   *     "allow_insecure_sample": true}
   */
  public static KeyPolicy parse(byte[] json, String what) {
    JsonObject top = StrictJson.parseObject(json, what);
    Messages.onlyMembers(top, what, TOP);
    JsonFields fields = new JsonFields(top, "", what);
    if (!FORMAT.equals(fields.string("format"))) {
      throw fields.error("format", "must be " + FORMAT);
    }
    JsonFields keys = fields.object("keys");
    Map<KeyId, KeyRule> rules = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : top.getAsJsonObject("keys").entrySet()) {
      String name = entry.getKey();
      KeyId id =
          KeyId.parse(name)
              .orElseThrow(() -> keys.error(name, "is not a key id (" + KeyId.SYNTAX + ")"));
      rules.put(id, keyRule(keys.object(name), entry.getValue().getAsJsonObject(), what));
    }
    Optional<KeyRule> checkpoints =
        fields.has("checkpoints")
            ? Optional.of(
                keyRule(fields.object("checkpoints"), top.getAsJsonObject("checkpoints"), what))
            : Optional.empty();
    return new KeyPolicy(rules, checkpoints);
  }

  private static KeyRule keyRule(JsonFields fields, JsonObject json, String what) {
    Messages.onlyMembers(json, what + " " + fields.path(), KEY);
    boolean allowSample = false;
    if (fields.has("allow_insecure_sample")) {
      JsonElement flag = json.get("allow_insecure_sample");
      if (!flag.isJsonPrimitive() || !flag.getAsJsonPrimitive().isBoolean()) {
        throw fields.error("allow_insecure_sample", "must be true or false");
      }
      allowSample = flag.getAsBoolean();
    }
    JsonArray clientsJson = fields.array("clients");
    if (clientsJson.isEmpty()) {
      throw fields.error("clients", "is empty: name at least one client certificate");
    }
    List<ClientMatcher> clients = new ArrayList<>();
    for (int i = 0; i < clientsJson.size(); i++) {
      JsonFields client = fields.element("clients", clientsJson, i);
      JsonObject clientJson = clientsJson.get(i).getAsJsonObject();
      Messages.onlyMembers(clientJson, what + " " + client.path(), CLIENT);
      if (clientJson.size() != 1) {
        throw StrictJson.bad(
            what + ": " + client.path() + " must have exactly one of 'subject' or 'san'");
      }
      clients.add(
          client.has("subject")
              ? new ClientMatcher(ClientMatcher.Kind.SUBJECT, client.string("subject"))
              : new ClientMatcher(ClientMatcher.Kind.SAN, client.string("san")));
    }
    JsonFields evidenceFields = fields.object("evidence");
    JsonObject evidenceJson = json.getAsJsonObject("evidence");
    if (evidenceJson.isEmpty()) {
      throw fields.error("evidence", "is empty: name at least one evidence type");
    }
    Map<EvidenceType, EvidenceRule> evidence = new LinkedHashMap<>();
    for (String typeName : evidenceJson.keySet()) {
      EvidenceType type;
      try {
        type = EvidenceType.parse(typeName);
      } catch (UsageException e) {
        throw evidenceFields.error(typeName, "is not an evidence type: " + e.getMessage());
      }
      if (!type.id().equals(typeName)) {
        throw evidenceFields.error(typeName, "must be written in lowercase: " + type.id());
      }
      if (type == EvidenceType.SAMPLE && !allowSample) {
        throw evidenceFields.error(
            typeName,
            "accepts insecure sample evidence, which needs \"allow_insecure_sample\": true beside it");
      }
      evidence.put(
          type,
          evidenceRule(
              evidenceFields.object(typeName), evidenceJson.getAsJsonObject(typeName), what));
    }
    return new KeyRule(List.copyOf(clients), evidence, allowSample);
  }

  private static EvidenceRule evidenceRule(JsonFields fields, JsonObject json, String what) {
    Messages.onlyMembers(json, what + " " + fields.path(), EVIDENCE);
    JsonFields references = fields.object("reference_values");
    Map<String, List<String>> referenceValues = new LinkedHashMap<>();
    JsonObject referencesJson = objectAt(fields, "reference_values");
    if (referencesJson.isEmpty()) {
      throw fields.error(
          "reference_values", "is empty: name at least one measurement and its accepted values");
    }
    for (Map.Entry<String, JsonElement> entry : referencesJson.entrySet()) {
      JsonArray values = references.array(entry.getKey());
      if (values.isEmpty()) {
        throw references.error(entry.getKey(), "is empty: list the accepted values");
      }
      List<String> accepted = new ArrayList<>();
      for (JsonElement value : values) {
        accepted.add(value(references, entry.getKey(), value));
      }
      referenceValues.put(entry.getKey(), List.copyOf(accepted));
    }
    Map<String, String> minimumTcb = new LinkedHashMap<>();
    if (fields.has("min_tcb")) {
      JsonFields minimums = fields.object("min_tcb");
      for (Map.Entry<String, JsonElement> entry : objectAt(fields, "min_tcb").entrySet()) {
        minimumTcb.put(entry.getKey(), value(minimums, entry.getKey(), entry.getValue()));
      }
    }
    return new EvidenceRule(referenceValues, minimumTcb);
  }

  private static JsonObject objectAt(JsonFields fields, String name) {
    return fields.required(name).getAsJsonObject();
  }

  /**
   * A reference value or minimum: a string (hex or text, hex lowercased) or an unsigned integer.
   */
  private static String value(JsonFields fields, String name, JsonElement value) {
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      String text = value.getAsString();
      return text.matches("[0-9A-Fa-f]+") && text.length() % 2 == 0
          ? text.toLowerCase(Locale.ROOT)
          : text;
    }
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      return StrictJson.canonicalUnsigned(value).stream()
          .mapToObj(Long::toUnsignedString)
          .findFirst()
          .orElseThrow(() -> fields.error(name, "must be an unsigned 64-bit integer or a string"));
    }
    throw fields.error(name, "values must be strings or unsigned integers");
  }

  /** The key ids this policy names. */
  public Set<KeyId> keys() {
    return rules.keySet();
  }

  /**
   * Whether {@code client} is granted key {@code id} at all (before evidence is considered): a key
   * the policy does not name, or a client it does not list for the key, is {@link
   * PolicyDecision.Verdict#NOT_GRANTED}.
   */
  public PolicyDecision grants(KeyId id, ClientIdentity client) {
    KeyRule rule = rules.get(id);
    if (rule == null) {
      return PolicyDecision.notGranted("the policy names no key " + id);
    }
    return clientMatch(rule, client)
        .orElseGet(
            () ->
                PolicyDecision.notGranted(
                    "client certificate " + client.subject() + " is not granted key " + id));
  }

  /**
   * The whole decision for releasing key {@code id} to {@code client}, whose verified evidence
   * makes {@code claims}.
   */
  public PolicyDecision decide(KeyId id, ClientIdentity client, Claims claims) {
    PolicyDecision granted = grants(id, client);
    if (!granted.allowed()) {
      return granted;
    }
    return evidence(rules.get(id), "key " + id, claims);
  }

  /**
   * Whether {@code client}, whose verified evidence makes {@code claims}, may record training
   * checkpoints (the {@code "checkpoints"} rule, with the members of a key's rule): deny by
   * default, so a policy without the rule lets nobody record.
   */
  public PolicyDecision decideCheckpoints(ClientIdentity client, Claims claims) {
    if (checkpoints.isEmpty()) {
      return PolicyDecision.notGranted(
          "the policy has no \"checkpoints\" rule: no client may record checkpoints");
    }
    KeyRule rule = checkpoints.get();
    PolicyDecision granted =
        clientMatch(rule, client)
            .orElseGet(
                () ->
                    PolicyDecision.notGranted(
                        "client certificate "
                            + client.subject()
                            + " is not granted the checkpoint records"));
    if (!granted.allowed()) {
      return granted;
    }
    return evidence(rule, "the checkpoint records", claims);
  }

  private static Optional<PolicyDecision> clientMatch(KeyRule rule, ClientIdentity client) {
    for (ClientMatcher matcher : rule.clients()) {
      if (matcher.matches(client)) {
        return Optional.of(PolicyDecision.allowed("client matches " + matcher));
      }
    }
    return Optional.empty();
  }

  /** The evidence half of a decision: {@code what} names the key or records in messages. */
  private static PolicyDecision evidence(KeyRule rule, String what, Claims claims) {
    if (claims.debug() == DebugFlag.SET) {
      return PolicyDecision.evidenceRefused("the evidence says the environment is debuggable");
    }
    EvidenceRule evidence = rule.evidence().get(claims.type());
    if (evidence == null) {
      return PolicyDecision.evidenceRefused(
          "evidence type "
              + claims.type().id()
              + " is not accepted for "
              + what
              + " (accepted: "
              + rule.evidence().keySet().stream().map(EvidenceType::id).toList()
              + ")");
    }
    if (claims.type() == EvidenceType.SAMPLE && !rule.allowSample()) {
      return PolicyDecision.evidenceRefused("insecure sample evidence is not allowed for " + what);
    }
    Optional<String> refusal = evidence.refusal(claims);
    if (refusal.isPresent()) {
      return PolicyDecision.evidenceRefused(refusal.get());
    }
    return PolicyDecision.allowed(
        "client matches, "
            + claims.type().id()
            + " evidence meets the reference values"
            + (evidence.minimumTcb().isEmpty() ? "" : " and minimum TCB"));
  }
}
