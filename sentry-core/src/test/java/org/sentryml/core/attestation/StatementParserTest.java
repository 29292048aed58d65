package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sentryml.core.attestation.AttestationFixtures.assertBadInput;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.TestVectors;

class StatementParserTest {
  private static InTotoStatement vectorStatement(String name) {
    return StatementParser.parse(BundleReader.read(TestVectors.path(name)).envelope());
  }

  /** The key vector's statement with {@code edit} applied, as UTF-8 bytes. */
  private static byte[] statementWith(Consumer<JsonObject> edit) {
    byte[] payload =
        BundleReader.read(TestVectors.path(AttestationFixtures.KEY_VECTOR)).envelope().payload();
    JsonObject statement =
        JsonParser.parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
    edit.accept(statement);
    return statement.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject digest(JsonObject statement) {
    return statement.getAsJsonArray("subject").get(0).getAsJsonObject().getAsJsonObject("digest");
  }

  @Test
  void parse_keyVector() {
    InTotoStatement statement = vectorStatement(AttestationFixtures.KEY_VECTOR);
    assertEquals("model", statement.subject().name());
    assertEquals(
        "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4",
        statement.subjectSha256());
    assertEquals(AttestationFixtures.OMS_PREDICATE_TYPE, statement.predicateType());
    assertEquals(2, statement.predicate().getAsJsonArray("resources").size());
    assertEquals(
        "files",
        statement.predicate().getAsJsonObject("serialization").get("method").getAsString());
  }

  @Test
  void parse_everyValidVector() {
    assertEquals(
        AttestationFixtures.OMS_PREDICATE_TYPE,
        vectorStatement(AttestationFixtures.CERTIFICATE_VECTOR).predicateType());
    InTotoStatement sigstore = vectorStatement(AttestationFixtures.SIGSTORE_VECTOR);
    assertEquals("v1.1.0-sigstore", sigstore.subject().name());
    assertEquals(
        "61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226",
        sigstore.subjectSha256());
  }

  @Test
  void parse_wrongPredicateVectorParsesWithItsPredicateType() {
    assertEquals(
        "https://example.com/wrong-predicate/v1.0",
        vectorStatement(AttestationFixtures.WRONG_PREDICATE).predicateType());
  }

  @Test
  void parse_predicateIsACopy() {
    InTotoStatement statement = vectorStatement(AttestationFixtures.KEY_VECTOR);
    statement.predicate().remove("resources");
    assertEquals(2, statement.predicate().getAsJsonArray("resources").size());
  }

  @Test
  void parse_rejectsNonJsonAndNonUtf8() {
    assertBadInput(
        () -> StatementParser.parse("hello".getBytes(StandardCharsets.US_ASCII)),
        "statement: not valid JSON");
    assertBadInput(
        () -> StatementParser.parse(new byte[] {'{', (byte) 0xc3, '}'}), "statement: not UTF-8");
  }

  @Test
  void parse_rejectsWrongType() {
    byte[] payload =
        statementWith(s -> s.addProperty("_type", "https://in-toto.io/Statement/v0.1"));
    assertBadInput(
        () -> StatementParser.parse(payload),
        "field _type",
        "https://in-toto.io/Statement/v1",
        "Statement/v0.1");
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> s.remove("_type"))),
        "field _type is missing");
  }

  @Test
  void parse_rejectsZeroOrTwoSubjects() {
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> s.add("subject", new JsonArray()))),
        "field subject must hold exactly 1 subject, got 0");
    byte[] two =
        statementWith(
            s -> s.getAsJsonArray("subject").add(s.getAsJsonArray("subject").get(0).deepCopy()));
    assertBadInput(
        () -> StatementParser.parse(two), "field subject must hold exactly 1 subject, got 2");
  }

  @Test
  void parse_rejectsBadSubjectDigest() {
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> digest(s).remove("sha256"))),
        "field subject[0].digest.sha256 is missing");
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> digest(s).addProperty("sha256", "abcd"))),
        "field subject[0].digest.sha256 must be 64 lowercase hex characters, got 4");
    String upper = "92745110B1AB4368471CBE31664E10174E954B113A3DF333DB860317B2C6DEC4";
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> digest(s).addProperty("sha256", upper))),
        "field subject[0].digest.sha256 must be lowercase hex");
    assertBadInput(
        () ->
            StatementParser.parse(
                statementWith(
                    s -> s.getAsJsonArray("subject").get(0).getAsJsonObject().remove("digest"))),
        "field subject[0].digest is missing");
  }

  @Test
  void parse_rejectsMissingSubjectName() {
    assertBadInput(
        () ->
            StatementParser.parse(
                statementWith(
                    s -> s.getAsJsonArray("subject").get(0).getAsJsonObject().remove("name"))),
        "field subject[0].name is missing");
  }

  @Test
  void parse_rejectsMissingOrEmptyPredicateType() {
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> s.remove("predicateType"))),
        "field predicateType is missing");
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> s.addProperty("predicateType", ""))),
        "field predicateType is empty");
  }

  @Test
  void parse_rejectsNonObjectPredicate() {
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> s.add("predicate", new JsonArray()))),
        "field predicate must be an object, got an array");
    assertBadInput(
        () -> StatementParser.parse(statementWith(s -> s.remove("predicate"))),
        "field predicate is missing");
  }

  @Test
  void parse_rejectsDuplicateKeysInStatement() {
    byte[] payload =
        ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"_type\":\"x\",\"subject\":[],"
                + "\"predicateType\":\"p\",\"predicate\":{}}")
            .getBytes(StandardCharsets.UTF_8);
    assertBadInput(() -> StatementParser.parse(payload), "duplicate key _type");
  }
}
