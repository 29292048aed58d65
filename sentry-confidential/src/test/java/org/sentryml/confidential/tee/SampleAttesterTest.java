package org.sentryml.confidential.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.UsageException;

class SampleAttesterTest {
  @TempDir Path dir;

  @Test
  void evidenceVerifiesAsSampleAndIsBoundToTheNonceAndKey() throws Exception {
    SampleAttester attester =
        new SampleAttester(List.of(file("a.jar", "jar a")), List.of(file("agent.json", "{}")));
    Evidence evidence = attester.evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK);
    assertEquals(EvidenceType.SAMPLE, evidence.type());
    JsonObject json =
        JsonParser.parseString(new String(evidence.report().toByteArray(), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertTrue(json.get("insecure").getAsBoolean());
    assertTrue(json.get("warning").getAsString().startsWith("INSECURE"));

    Claims claims = EvidenceVerifiers.verify(evidence, AttestationVectors.VALID);
    assertEquals(EvidenceType.SAMPLE, claims.type());
    assertTrue(!claims.type().hardwareBacked());
    assertEquals(attester.measurement(), claims.measurement());
    assertEquals(DebugFlag.NOT_REPORTED, claims.debug());
    assertTrue(claims.bindsNonceAndKey(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK));
    assertTrue(!claims.bindsNonceAndKey("another nonce", RuntimeDataTest.EC_JWK));
  }

  @Test
  void measurementIsTheDocumentedDigestOfSortedDigests() throws Exception {
    Path jarA = file("a.jar", "jar a");
    Path jarB = file("b.jar", "jar b");
    Path config = file("agent.json", "{}");
    // Independently: SHA-256("sentry-sample-measurement/v1\n" ‖ be32(2) ‖ sorted jar digests ‖
    // be32(1) ‖ config digest).
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    byte[] a = sha.digest("jar a".getBytes(StandardCharsets.UTF_8));
    byte[] b = sha.digest("jar b".getBytes(StandardCharsets.UTF_8));
    byte[] c = sha.digest("{}".getBytes(StandardCharsets.UTF_8));
    boolean aFirst = java.util.Arrays.compareUnsigned(a, b) < 0;
    sha.update("sentry-sample-measurement/v1\n".getBytes(StandardCharsets.US_ASCII));
    sha.update(new byte[] {0, 0, 0, 2});
    sha.update(aFirst ? a : b);
    sha.update(aFirst ? b : a);
    sha.update(new byte[] {0, 0, 0, 1});
    sha.update(c);
    Octets expected = Octets.of(sha.digest());
    assertEquals(expected, new SampleAttester(List.of(jarA, jarB), List.of(config)).measurement());
    assertEquals(
        expected,
        new SampleAttester(List.of(jarB, jarA), List.of(config)).measurement(),
        "order does not matter");
  }

  @Test
  void measurementChangesWithAnyByteOfAJarOrConfiguration() throws Exception {
    Path jar = file("a.jar", "jar a");
    Path config = file("agent.json", "{}");
    SampleAttester attester = new SampleAttester(List.of(jar), List.of(config));
    Octets before = attester.measurement();
    Files.writeString(config, "{ }");
    Octets configChanged = attester.measurement();
    assertNotEquals(before, configChanged);
    Files.writeString(jar, "jar b");
    assertNotEquals(configChanged, attester.measurement());
    assertNotEquals(
        new SampleAttester(List.of(jar), List.of()).measurement(),
        new SampleAttester(List.of(), List.of(jar)).measurement(),
        "a jar and a configuration file are counted apart");
  }

  @Test
  void classPathJarsRefusesAFolderOfClasses() throws Exception {
    Path jar = file("a.jar", "jar a");
    assertEquals(List.of(jar), SampleAttester.classPathJars(jar + File.pathSeparator));
    assertThrows(
        PathException.class, () -> SampleAttester.classPathJars(jar + File.pathSeparator + dir));
  }

  @Test
  void sampleEvidenceThatDoesNotSayItIsInsecureIsRefused() {
    String forged =
        "{\"format\":\"sentry-sample-evidence/v1\",\"insecure\":false,\"warning\":\"\",\"measurement\":\""
            + "00".repeat(32)
            + "\",\"report_data\":\""
            + "00".repeat(64)
            + "\"}";
    MalformedInputException refusal =
        assertThrows(
            MalformedInputException.class,
            () ->
                EvidenceVerifiers.verify(
                    Evidence.of(EvidenceType.SAMPLE, forged.getBytes(StandardCharsets.UTF_8)),
                    AttestationVectors.VALID));
    assertTrue(refusal.getMessage().contains("'insecure' must be true"), refusal.getMessage());
  }

  @Test
  void sampleEvidenceIsNotAcceptedAsAnotherType() {
    Evidence sample =
        new SampleAttester(List.of(), List.of())
            .evidence(RuntimeDataTest.NONCE, RuntimeDataTest.EC_JWK);
    assertThrows(
        UsageException.class,
        () -> EvidenceVerifiers.forType(EvidenceType.TDX).verify(sample, AttestationVectors.VALID));
    assertThrows(
        MalformedInputException.class,
        () ->
            EvidenceVerifiers.verify(
                Evidence.of(EvidenceType.TDX, sample.report().toByteArray()),
                AttestationVectors.VALID));
  }

  private Path file(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
