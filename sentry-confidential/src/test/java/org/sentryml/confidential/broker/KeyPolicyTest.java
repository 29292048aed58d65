package org.sentryml.confidential.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.tee.ClaimValue;
import org.sentryml.confidential.tee.Claims;
import org.sentryml.confidential.tee.DebugFlag;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.Octets;
import org.sentryml.core.errors.MalformedInputException;

class KeyPolicyTest {
  private static final KeyId KEY = KeyId.parse("sentry:model/m@1").orElseThrow();
  private static final String MEASUREMENT = "ab".repeat(48);
  private static final ClientIdentity TRAINER =
      new ClientIdentity("CN=trainer", List.of("trainer.example"), "f1");

  private static KeyPolicy policy(String rules) {
    String json =
        "{\"format\":\"" + KeyPolicy.FORMAT + "\",\"keys\":{\"" + KEY + "\":" + rules + "}}";
    return KeyPolicy.parse(json.getBytes(StandardCharsets.UTF_8), "test policy");
  }

  private static final String SNP_RULES =
      "{\"clients\":[{\"san\":\"trainer.example\"}],\"evidence\":{\"snp\":{"
          + "\"reference_values\":{\"measurement\":[\""
          + MEASUREMENT.toUpperCase(java.util.Locale.ROOT)
          + "\"]},\"min_tcb\":{\"reported_tcb.snp\":8,\"tee_tcb_svn\":\"0300\"}}}}";

  private static Claims snp(String measurement, long snpSvn, String teeTcb, DebugFlag debug) {
    SequencedMap<String, ClaimValue> measurements = new LinkedHashMap<>();
    measurements.put("measurement", new ClaimValue.Bytes(Octets.fromHex(measurement, "m")));
    SequencedMap<String, ClaimValue> tcb = new LinkedHashMap<>();
    tcb.put("reported_tcb.snp", new ClaimValue.Numeric(snpSvn));
    tcb.put("tee_tcb_svn", new ClaimValue.Bytes(Octets.fromHex(teeTcb, "t")));
    return new Claims(
        EvidenceType.SNP,
        Octets.fromHex(measurement, "m"),
        measurements,
        tcb,
        debug,
        Octets.of(new byte[64]));
  }

  @Test
  void checkpointRecordsAreDeniedByDefaultAndGrantedByTheirOwnRule() {
    ClientIdentity other = new ClientIdentity("CN=other", List.of(), "f2");
    Claims good = snp(MEASUREMENT, 8, "0301", DebugFlag.CLEAR);
    PolicyDecision none = policy(SNP_RULES).decideCheckpoints(TRAINER, good);
    assertEquals(PolicyDecision.Verdict.NOT_GRANTED, none.verdict(), none.reason());
    String json =
        "{\"format\":\"" + KeyPolicy.FORMAT + "\",\"keys\":{},\"checkpoints\":" + SNP_RULES + "}";
    KeyPolicy policy = KeyPolicy.parse(json.getBytes(StandardCharsets.UTF_8), "test policy");
    assertTrue(policy.decideCheckpoints(TRAINER, good).allowed());
    assertEquals(
        PolicyDecision.Verdict.NOT_GRANTED, policy.decideCheckpoints(other, good).verdict());
    PolicyDecision stale =
        policy.decideCheckpoints(TRAINER, snp(MEASUREMENT, 7, "0301", DebugFlag.CLEAR));
    assertEquals(PolicyDecision.Verdict.EVIDENCE_REFUSED, stale.verdict(), stale.reason());
    assertThrows(
        MalformedInputException.class,
        () ->
            KeyPolicy.parse(
                json.replace("\"clients\"", "\"client\"").getBytes(StandardCharsets.UTF_8),
                "test policy"));
  }

  @Test
  void evidenceMeetingEveryRuleIsAllowed() {
    PolicyDecision decision =
        policy(SNP_RULES).decide(KEY, TRAINER, snp(MEASUREMENT, 8, "0301", DebugFlag.CLEAR));
    assertTrue(decision.allowed(), decision.reason());
  }

  @Test
  void eachBrokenRuleRefusesWithItsReason() {
    KeyPolicy policy = policy(SNP_RULES);
    assertRefused(
        policy.decide(KEY, TRAINER, snp("cd".repeat(48), 8, "0301", DebugFlag.CLEAR)),
        "reference values");
    assertRefused(
        policy.decide(KEY, TRAINER, snp(MEASUREMENT, 7, "0301", DebugFlag.CLEAR)),
        "below the minimum 8");
    assertRefused(
        policy.decide(KEY, TRAINER, snp(MEASUREMENT, 8, "0201", DebugFlag.CLEAR)), "component 0");
    assertRefused(
        policy.decide(KEY, TRAINER, snp(MEASUREMENT, 8, "0301", DebugFlag.SET)), "debuggable");
    PolicyDecision stranger =
        policy.decide(
            KEY,
            new ClientIdentity("CN=x", List.of(), "f2"),
            snp(MEASUREMENT, 8, "0301", DebugFlag.CLEAR));
    assertEquals(PolicyDecision.Verdict.NOT_GRANTED, stranger.verdict());
    PolicyDecision unknownKey =
        policy.decide(
            KeyId.parse("sentry:model/m@2").orElseThrow(),
            TRAINER,
            snp(MEASUREMENT, 8, "0301", DebugFlag.CLEAR));
    assertEquals(PolicyDecision.Verdict.NOT_GRANTED, unknownKey.verdict());
  }

  @Test
  void samplePoliciesMustSayTheyAllowInsecureEvidence() {
    String sample =
        "{\"clients\":[{\"subject\":\"CN=t\"}],\"evidence\":{\"sample\":{\"reference_values\":{\"software\":[\"00\"]}}}}";
    MalformedInputException refusal =
        assertThrows(MalformedInputException.class, () -> policy(sample));
    assertTrue(refusal.getMessage().contains("allow_insecure_sample"), refusal.getMessage());
  }

  @Test
  void aPolicyWithoutReferenceValuesOrClientsOrWithUnknownMembersIsRefused() {
    assertThrows(
        MalformedInputException.class,
        () ->
            policy(
                "{\"clients\":[{\"subject\":\"CN=t\"}],\"evidence\":{\"tdx\":{\"reference_values\":{}}}}"));
    assertThrows(
        MalformedInputException.class,
        () ->
            policy(
                "{\"clients\":[],\"evidence\":{\"tdx\":{\"reference_values\":{\"mr_td\":[\"00\"]}}}}"));
    assertThrows(
        MalformedInputException.class,
        () ->
            policy(
                "{\"clients\":[{\"subject\":\"CN=t\"}],\"allow_debug\":true,\"evidence\":{\"tdx\":{\"reference_values\":{\"mr_td\":[\"00\"]}}}}"));
  }

  private static void assertRefused(PolicyDecision decision, String reason) {
    assertEquals(PolicyDecision.Verdict.EVIDENCE_REFUSED, decision.verdict(), decision.reason());
    assertTrue(decision.reason().contains(reason), decision.reason());
  }
}
