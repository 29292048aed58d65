package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.TestVectors;

/** {@code sentry attestation verify} on the public evidence, through the real command line. */
class AttestationVerifyCliTest {
  private static final String AT = "2025-06-01T00:00:00Z";

  @TempDir Path dir;

  @Test
  void tdxQuoteVerifiesAndPrintsItsClaimsAsJson() {
    CliRun run =
        CliRun.of(
            "attestation",
            "verify",
            vector("tdx/tdx_quote_4.dat"),
            "--type",
            "tdx",
            "--at",
            AT,
            "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject claims = JsonParser.parseString(run.out()).getAsJsonObject();
    assertTrue(claims.get("ok").getAsBoolean());
    assertEquals("tdx", claims.get("type").getAsString());
    assertEquals(
        "705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031",
        claims.get("measurement").getAsString());
    assertEquals(128, claims.get("report_data").getAsString().length());
    assertTrue(claims.get("debug").getAsBoolean());
    assertEquals("50806f000000", claims.getAsJsonObject("tcb").get("pck.fmspc").getAsString());
    assertEquals(11, claims.getAsJsonObject("tcb").get("pck.pce_svn").getAsInt());
    assertEquals("not checked against collateral", claims.get("tcb_status").getAsString());
  }

  @Test
  void snpReportVerifiesWithItsVcekAndNvidiaWithItsChain() {
    CliRun snp =
        CliRun.of(
            "attestation",
            "verify",
            vector("snp/test-report.bin"),
            "--type",
            "snp",
            "--cert-chain",
            vector("snp/test-vcek.der"),
            "--at",
            AT,
            "--json");
    assertEquals(0, snp.exitCode(), snp.err());
    JsonObject claims = JsonParser.parseString(snp.out()).getAsJsonObject();
    assertFalse(claims.get("debug").getAsBoolean());
    assertEquals("Milan", claims.getAsJsonObject("tcb").get("product").getAsString());

    CliRun nvidia =
        CliRun.of(
            "attestation",
            "verify",
            vector("nvidia/hopperAttestationReport.txt"),
            "--type",
            "nvidia",
            "--cert-chain",
            vector("nvidia/hopper_cert_chain_case1.txt"),
            "--at",
            AT);
    assertEquals(0, nvidia.exitCode(), nvidia.err());
    assertTrue(nvidia.out().startsWith("verified NVIDIA SPDM measurement report"), nvidia.out());
    assertTrue(
        nvidia
            .out()
            .contains(
                "report_data  931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb"),
        nvidia.out());
  }

  @Test
  void aFailedCheckExitsOneAndNamesTheCheck() {
    CliRun run =
        CliRun.of(
            "attestation",
            "verify",
            vector("snp/test-report.bin"),
            "--type",
            "snp",
            "--cert-chain",
            vector("snp/test-vlek.der"),
            "--at",
            AT,
            "--json");
    assertEquals(1, run.exitCode(), run.err());
    JsonObject failure = JsonParser.parseString(run.out()).getAsJsonObject();
    assertFalse(failure.get("ok").getAsBoolean());
    assertEquals(1, failure.get("exit_code").getAsInt());
    assertTrue(
        failure.get("error").getAsString().contains("check signing-key failed"),
        failure.toString());
    assertTrue(run.err().contains("test-report.bin"), run.err());
  }

  @Test
  void aChainThatHasExpiredAtTheGivenTimeExitsOne() {
    CliRun run =
        CliRun.of(
            "attestation",
            "verify",
            vector("tdx/tdx_quote_4.dat"),
            "--type",
            "tdx",
            "--at",
            "2031-06-01");
    assertEquals(1, run.exitCode());
    assertTrue(
        run.err().contains("check certificate-chain failed") && run.err().contains("had expired"),
        run.err());
  }

  @Test
  void aChangedByteExitsOne() throws Exception {
    byte[] quote = Files.readAllBytes(TestVectors.path("attestation/tdx/tdx_quote_5.dat"));
    quote[600] ^= 1;
    Path changed = Files.write(dir.resolve("changed.dat"), quote);
    CliRun run =
        CliRun.of("attestation", "verify", changed.toString(), "--type", "tdx", "--at", AT);
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("check quote-signature failed"), run.err());
  }

  @Test
  void aMalformedFileExitsThree() throws Exception {
    byte[] quote = Files.readAllBytes(TestVectors.path("attestation/tdx/tdx_quote_4.dat"));
    Path truncated = Files.write(dir.resolve("truncated.dat"), Arrays.copyOf(quote, 700));
    CliRun run =
        CliRun.of("attestation", "verify", truncated.toString(), "--type", "tdx", "--json");
    assertEquals(3, run.exitCode());
    JsonObject failure = JsonParser.parseString(run.out()).getAsJsonObject();
    assertEquals(3, failure.get("exit_code").getAsInt());
    assertTrue(failure.get("error").getAsString().contains("truncated"), failure.toString());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(
        2,
        CliRun.of("attestation", "verify", vector("tdx/tdx_quote_4.dat"), "--type", "tpm")
            .exitCode());
    assertEquals(
        2,
        CliRun.of(
                "attestation",
                "verify",
                vector("tdx/tdx_quote_4.dat"),
                "--type",
                "tdx",
                "--at",
                "yesterday")
            .exitCode());
    assertEquals(
        2,
        CliRun.of("attestation", "verify", vector("snp/test-report.bin"), "--type", "snp")
            .exitCode());
    assertEquals(2, CliRun.of("attestation").exitCode());
  }

  @Test
  void sampleEvidenceIsReadButSaysItIsInsecure() throws Exception {
    String evidence =
        "{\"format\":\"sentry-sample-evidence/v1\",\"insecure\":true,\"warning\":\"w\",\"measurement\":\""
            + "ab".repeat(32)
            + "\",\"report_data\":\""
            + "cd".repeat(64)
            + "\"}";
    Path file = Files.writeString(dir.resolve("sample.json"), evidence);
    CliRun run = CliRun.of("attestation", "verify", file.toString(), "--type", "sample");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("INSECURE"), run.out());
    CliRun json = CliRun.of("attestation", "verify", file.toString(), "--type", "sample", "--json");
    JsonObject claims = JsonParser.parseString(json.out()).getAsJsonObject();
    assertFalse(claims.get("hardware_backed").getAsBoolean());
    assertTrue(claims.get("warning").getAsString().startsWith("INSECURE"));
    assertTrue(claims.get("debug").isJsonNull());
  }

  private static String vector(String name) {
    return TestVectors.path("attestation/" + name).toString();
  }
}
