package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.model.ModelPlan;
import org.sentryml.core.model.Models;
import org.sentryml.testkit.ModelFixtures;

/**
 * The signed statement bytes are read as strictly as the bundle around them: one meaning per
 * document (no duplicate keys), UTF-8 without a byte order mark, integers written as integers, and
 * a bounded number of resources. Resource order is free: it carries no meaning.
 */
class SignedStatementStrictnessTest {
  private static final CpuEngine ENGINE = new CpuEngine(2);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  private Manifest manifest() throws Exception {
    return Models.manifest(
        ModelPlan.of(
            ModelFixtures.modelSigning("sample_model_folder", dir),
            Serialization.merkle(HashAlgorithm.SHA256, 65536, Workflow.LAYERED, false, List.of())),
        new OnDemandEngine(() -> ENGINE));
  }

  private String statement() throws Exception {
    return new String(Models.statementBytes(manifest()), StandardCharsets.UTF_8);
  }

  private static SentryException refused(byte[] statement, String reason) {
    SentryException e =
        assertThrows(SentryException.class, () -> StatementCodec.decode(statement, List.of()));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    return e;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void duplicateKeyInsideTheStatementIsRefused() throws Exception {
    String statement = statement();
    // A second "digest" for the first resource: a lenient reader would take the last one.
    String forged =
        statement.replaceFirst(
            "\"digest\":\"([0-9a-f]{64})\"",
            "\"digest\":\"$1\",\"digest\":\"" + "0".repeat(64) + "\"");
    refused(utf8(forged), "duplicate key predicate.resources[0].digest");
  }

  @Test
  void statementThatIsNotUtf8IsRefused() throws Exception {
    byte[] bytes = utf8(statement());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, bytes.length - 2);
    out.write(0xC3); // a lead byte with no continuation
    out.write(bytes, bytes.length - 2, 2);
    refused(out.toByteArray(), "not UTF-8");
  }

  @Test
  void statementWithAByteOrderMarkIsRefused() throws Exception {
    refused(utf8("\uFEFF" + statement()), "byte order mark");
  }

  @ParameterizedTest
  @ValueSource(strings = {"65536.0", "6.5536e4", "65536E0"})
  void leafSizeWrittenAsANonIntegerIsRefused(String leafSize) throws Exception {
    refused(
        utf8(statement().replace("\"leaf_size\":65536", "\"leaf_size\":" + leafSize)),
        "predicate.serialization.leaf_size");
  }

  @Test
  void resourcesInAnyOrderDecodeToTheSameManifest() throws Exception {
    Manifest manifest = manifest();
    JsonObject statement = StatementCodec.encode(manifest);
    JsonArray resources = statement.getAsJsonObject("predicate").getAsJsonArray("resources");
    List<com.google.gson.JsonElement> entries = new ArrayList<>(resources.asList());
    Collections.shuffle(entries, new Random(7));
    JsonArray shuffled = new JsonArray();
    entries.forEach(shuffled::add);
    statement.getAsJsonObject("predicate").add("resources", shuffled);
    assertEquals(manifest, StatementCodec.decode(utf8(statement.toString()), List.of()));
  }

  @Test
  void moreResourcesThanTheLimitAreRefusedBeforeAnyIsRead() throws Exception {
    JsonObject statement = StatementCodec.encode(manifest());
    StringBuilder entries = new StringBuilder("[");
    for (int i = 0; i <= StatementCodec.MAX_RESOURCES; i++) {
      entries.append(i == 0 ? "{}" : ",{}");
    }
    String text =
        statement
            .toString()
            .replaceFirst("\"resources\":\\[.*\\]\\}\\}$", "\"resources\":" + entries + "]}}");
    refused(utf8(text), "at most " + StatementCodec.MAX_RESOURCES + " are accepted");
  }
}
