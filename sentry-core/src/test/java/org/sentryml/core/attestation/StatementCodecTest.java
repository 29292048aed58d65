package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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

class StatementCodecTest {
  private static final CpuEngine ENGINE = new CpuEngine(2);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  private Manifest sample(Serialization serialization) throws Exception {
    return Models.manifest(
        ModelPlan.of(ModelFixtures.modelSigning("sample_model_folder", dir), serialization),
        new OnDemandEngine(() -> ENGINE));
  }

  @Test
  void everySerializationRoundTrips() throws Exception {
    List<Serialization> serializations =
        List.of(
            Serialization.files(HashAlgorithm.BLAKE2B, false, List.of("logs")),
            Serialization.shards(HashAlgorithm.SHA256, 10, false, List.of()),
            Serialization.merkle(
                HashAlgorithm.SHA3_256, 4096, Workflow.LAYERED, false, List.of("model.sig")),
            Serialization.merkle(HashAlgorithm.SHA256, 65536, Workflow.COALESCED, true, List.of()),
            Serialization.lattice(8192, Workflow.INPLACE, false, List.of()));
    for (Serialization serialization : serializations) {
      Manifest manifest = sample(serialization);
      assertEquals(
          manifest,
          StatementCodec.decode(StatementCodec.encode(manifest), List.of()),
          serialization.toString());
    }
  }

  private JsonObject merkleStatement() throws Exception {
    return StatementCodec.encode(
        sample(
            Serialization.merkle(HashAlgorithm.SHA256, 65536, Workflow.LAYERED, false, List.of())));
  }

  private SentryException rejected(JsonObject statement) {
    SentryException e =
        assertThrows(SentryException.class, () -> StatementCodec.decode(statement, List.of()));
    assertInstanceOf(MalformedInputException.class, e, e.getMessage());
    return e;
  }

  private JsonObject edited(Consumer<JsonObject> edit) throws Exception {
    JsonObject statement = merkleStatement();
    edit.accept(statement);
    return statement;
  }

  private static JsonArray resources(JsonObject statement) {
    return statement.getAsJsonObject("predicate").getAsJsonArray("resources");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../x", "/etc/passwd", "a/../../b", "a//b", "./a", "C:/windows", "a\\..\\b", ""})
  void forgedResourceNamesAreRejected(String name) throws Exception {
    SentryException e =
        rejected(edited(s -> resources(s).get(0).getAsJsonObject().addProperty("name", name)));
    assertTrue(e.getMessage().contains("resources[0].name"), e.getMessage());
  }

  @Test
  void duplicateResourceIsRejected() throws Exception {
    JsonObject statement = edited(s -> resources(s).add(resources(s).get(0)));
    assertTrue(rejected(statement).getMessage().contains("appears twice"));
  }

  @Test
  void algorithmNotImpliedBySerializationIsRejected() throws Exception {
    JsonObject statement =
        edited(s -> resources(s).get(1).getAsJsonObject().addProperty("algorithm", "md5"));
    assertTrue(rejected(statement).getMessage().contains("resources[1].algorithm"));
  }

  @Test
  void leafSizeOutOfBoundsIsRejected() throws Exception {
    JsonObject statement =
        edited(
            s ->
                s.getAsJsonObject("predicate")
                    .getAsJsonObject("serialization")
                    .addProperty("leaf_size", 1000));
    assertTrue(rejected(statement).getMessage().contains("leaf size"));
  }

  @Test
  void subjectDigestThatIsNotTheRootIsRejected() throws Exception {
    JsonObject statement = edited(s -> resources(s).remove(0));
    assertTrue(rejected(statement).getMessage().contains("subject[0].digest.sha256"));
  }

  @Test
  void predicateTypeMustMatchTheMethod() throws Exception {
    JsonObject statement =
        edited(s -> s.addProperty("predicateType", StatementCodec.OMS_PREDICATE));
    assertTrue(rejected(statement).getMessage().contains("predicateType"));
  }

  @Test
  void forgedIgnorePathIsRejected() throws Exception {
    JsonObject statement =
        edited(
            s -> {
              JsonArray paths = new JsonArray();
              paths.add("../../etc");
              s.getAsJsonObject("predicate")
                  .getAsJsonObject("serialization")
                  .add("ignore_paths", paths);
            });
    assertTrue(rejected(statement).getMessage().contains("ignore_paths[0]"));
  }

  @Test
  void latticeChecksumMustBeTheOneBehindTheDigest() throws Exception {
    JsonObject statement =
        StatementCodec.encode(
            sample(Serialization.lattice(4096, Workflow.LAYERED, false, List.of())));
    JsonObject first = resources(statement).get(0).getAsJsonObject();
    byte[] checksum = java.util.Base64.getDecoder().decode(first.get("checksum").getAsString());
    assertEquals(2048, checksum.length);
    checksum[7] ^= 1;
    first.addProperty("checksum", java.util.Base64.getEncoder().encodeToString(checksum));
    assertTrue(rejected(statement).getMessage().contains("resources[0].checksum"));
  }
}
