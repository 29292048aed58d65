package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentryml.core.engine.CpuEngine;
import org.sentryml.core.engine.OnDemandEngine;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.model.ModelPlan;
import org.sentryml.core.model.Models;
import org.sentryml.testkit.ModelFixtures;
import org.sentryml.testkit.TestVectors;

/**
 * Sentry's {@code files} and {@code shards} serializations equal the Python model_signing library's
 * goldens: the serializer's {@code name:digest} lines and the exact in-toto statements. The symlink
 * fixtures are left out on purpose: their link points outside the model folder, which Sentry never
 * follows (model_signing does when symlinks are allowed).
 */
class ModelSigningGoldensTest {
  private static final Path GOLDENS = TestVectors.path("model-signing-goldens");
  private static final CpuEngine ENGINE = new CpuEngine(2);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    ENGINE.close();
  }

  /** Fixture, golden suffix, shard size (0 for files). */
  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String fixture : ModelFixtures.MODEL_SIGNING) {
      cases.add(Arguments.of(fixture, "", 0L));
      cases.add(Arguments.of(fixture, "_shard", Serialization.DEFAULT_SHARD_SIZE));
      cases.add(Arguments.of(fixture, "_small_shards", 8L));
    }
    return cases.stream();
  }

  private Manifest manifest(String fixture, long shardSize, String subjectName) throws Exception {
    Path model = ModelFixtures.modelSigning(fixture, dir);
    Serialization serialization =
        shardSize == 0
            ? Serialization.files(HashAlgorithm.SHA256, true, List.of())
            : Serialization.shards(HashAlgorithm.SHA256, shardSize, true, List.of());
    // model_signing serializes an empty folder to an empty manifest; Sentry's CLI refuses to sign
    // one, so the planner is bypassed for that fixture only.
    List<Resource> resources =
        fixture.equals("empty_model_folder")
            ? List.of()
            : ModelPlan.of(model, serialization).resources();
    return Models.manifest(
        new ModelPlan(model, subjectName, serialization, resources),
        new OnDemandEngine(() -> ENGINE));
  }

  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("cases")
  void statementEqualsModelSigningGolden(String fixture, String suffix, long shardSize)
      throws Exception {
    Path golden = GOLDENS.resolve("_signing/testdata/signing/TestPayload/" + fixture + suffix);
    JsonObject expected = JsonParser.parseString(Files.readString(golden)).getAsJsonObject();
    String subjectName =
        expected.getAsJsonArray("subject").get(0).getAsJsonObject().get("name").getAsString();
    JsonObject actual = StatementCodec.encode(manifest(fixture, shardSize, subjectName));
    // The goldens predate the ignore_paths field that model_signing v1.0 writes.
    actual.getAsJsonObject("predicate").getAsJsonObject("serialization").remove("ignore_paths");
    assertEquals(expected, actual);
  }

  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("cases")
  void serializerLinesEqualModelSigningGolden(String fixture, String suffix, long shardSize)
      throws Exception {
    String kind = shardSize == 0 ? "file" : "file_shard";
    String goldenName = fixture + (suffix.equals("_small_shards") ? "_small_shards" : "");
    Path golden =
        GOLDENS.resolve("_serialization/testdata/" + kind + "/TestSerializer/" + goldenName);
    List<String> expected =
        Files.readString(golden, StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank())
            .sorted()
            .toList();
    List<String> actual = new ArrayList<>();
    for (ResourceDigest resource : manifest(fixture, shardSize, "m").resources()) {
      actual.add(resource.name() + ":" + resource.digest().hex());
    }
    assertEquals(expected, actual.stream().sorted().toList());
  }
}
