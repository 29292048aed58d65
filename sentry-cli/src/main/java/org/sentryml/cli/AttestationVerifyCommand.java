package org.sentryml.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.tee.ClaimValue;
import org.sentryml.confidential.tee.Claims;
import org.sentryml.confidential.tee.DebugFlag;
import org.sentryml.confidential.tee.Evidence;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.EvidenceVerifiers;
import org.sentryml.confidential.tee.Octets;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.confidential.tee.TcbEvaluator;
import org.sentryml.confidential.tee.TcbStatus;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.BoundedFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sentry attestation verify FILE --type TYPE [--cert-chain FILE] [--at ISO-TIME] [--json]}:
 * checks every signature, chain link and binding of the evidence against the vendor roots pinned in
 * Sentry and prints its claims; exit 1 names the check that failed, exit 3 a file that does not
 * parse.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify attestation evidence against the pinned vendor roots and print its claims.",
      "The TCB is reported, not judged against Intel's or AMD's collateral."
    })
final class AttestationVerifyCommand implements Callable<Integer> {
  /** Far above any evidence: quotes and reports are a few KiB, NVIDIA's hex reports tens. */
  static final long MAX_EVIDENCE_BYTES = 1L << 20;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description =
          "The evidence: a TDX or SGX quote, an SNP report, an NVIDIA SPDM report (hex or binary), or sample evidence.")
  Path evidence;

  @Option(
      names = "--type",
      required = true,
      paramLabel = "TYPE",
      description = "tdx, sgx, snp, nvidia or sample.")
  String type;

  @Option(
      names = "--cert-chain",
      paramLabel = "FILE",
      description =
          "SNP: the VCEK or VLEK (DER or PEM); NVIDIA: the device certificate chain (PEM).")
  Path certificateChain;

  @Option(
      names = "--at",
      paramLabel = "ISO-TIME",
      description =
          "When the certificates must be valid (default: now), e.g. 2025-06-01T00:00:00Z.")
  String at;

  @Option(names = "--json", description = "Print the result as one JSON object (also on failure).")
  boolean json;

  @Override
  public Integer call() {
    EvidenceType evidenceType = EvidenceType.parse(type);
    Instant time = at == null ? Instant.now() : parseTime(at);
    byte[] report = BoundedFiles.read(evidence, MAX_EVIDENCE_BYTES, "evidence file");
    byte[] certificates =
        certificateChain == null
            ? new byte[0]
            : BoundedFiles.read(
                certificateChain, BoundedFiles.MAX_PEM_BYTES, "certificate chain file");
    Claims claims;
    try {
      claims =
          EvidenceVerifiers.forType(evidenceType)
              .verify(new Evidence(evidenceType, Octets.of(report), Octets.of(certificates)), time);
    } catch (VerificationFailedException | MalformedInputException e) {
      throw e.withContext(evidence.toString());
    }
    TcbStatus status = TcbEvaluator.NOT_CHECKED.evaluate(claims);
    if (json) {
      JsonOutput.printWithNulls(spec.commandLine().getOut(), toJson(claims, status, time));
    } else {
      printText(spec.commandLine().getOut(), claims, status, time);
    }
    return 0;
  }

  private JsonObject toJson(Claims claims, TcbStatus status, Instant time) {
    JsonObject result = new JsonObject();
    result.addProperty("ok", true);
    result.addProperty("exit_code", 0);
    result.addProperty("evidence", evidence.toString());
    result.addProperty("type", claims.type().id());
    result.addProperty("hardware_backed", claims.type().hardwareBacked());
    if (!claims.type().hardwareBacked()) {
      result.addProperty("warning", SampleAttester.WARNING);
    }
    result.addProperty("at", time.toString());
    result.addProperty("measurement", claims.measurement().hex());
    result.addProperty("report_data", claims.reportData().hex());
    result.add(
        "debug",
        switch (claims.debug()) {
          case SET -> new JsonPrimitive(true);
          case CLEAR -> new JsonPrimitive(false);
          case NOT_REPORTED -> JsonNull.INSTANCE;
        });
    result.add("measurements", toJson(claims.measurements()));
    result.add("tcb", toJson(claims.tcb()));
    result.addProperty("tcb_status", status.detail());
    return result;
  }

  private static JsonObject toJson(SequencedMap<String, ClaimValue> values) {
    JsonObject object = new JsonObject();
    for (Map.Entry<String, ClaimValue> entry : values.entrySet()) {
      object.add(entry.getKey(), toJson(entry.getValue()));
    }
    return object;
  }

  private static JsonElement toJson(ClaimValue value) {
    return switch (value) {
      case ClaimValue.Numeric number ->
          new JsonPrimitive(new BigInteger(Long.toUnsignedString(number.value())));
      case ClaimValue.Bytes bytes -> new JsonPrimitive(bytes.value().hex());
      case ClaimValue.Text text -> new JsonPrimitive(text.value());
    };
  }

  private void printText(PrintWriter out, Claims claims, TcbStatus status, Instant time) {
    if (claims.type().hardwareBacked()) {
      TerminalText.printf(
          out,
          "verified %s %s: every signature, chain link and binding checks out (certificates valid at %s)%n",
          claims.type().displayName(),
          evidence,
          time.toString());
    } else {
      TerminalText.println(out, SampleAttester.WARNING);
      TerminalText.printf(
          out,
          "read %s %s: nothing signs it, so nothing was verified%n",
          claims.type().displayName(),
          evidence);
    }
    TerminalText.printf(out, "  %-12s %s%n", "type", claims.type().id());
    TerminalText.printf(out, "  %-12s %s%n", "measurement", claims.measurement().hex());
    TerminalText.printf(out, "  %-12s %s%n", "report_data", claims.reportData().hex());
    TerminalText.printf(out, "  %-12s %s%n", "debug", debugLine(claims.debug()));
    TerminalText.printf(out, "  %-12s %s%n", "tcb_status", status.detail());
    TerminalText.println(out, "  measurements:");
    claims
        .measurements()
        .forEach(
            (name, value) -> TerminalText.printf(out, "    %-26s %s%n", name, value.toString()));
    TerminalText.println(out, "  tcb:");
    claims
        .tcb()
        .forEach(
            (name, value) -> TerminalText.printf(out, "    %-26s %s%n", name, value.toString()));
    if (!claims.type().hardwareBacked()) {
      TerminalText.println(out, SampleAttester.WARNING);
    }
    out.flush();
  }

  private static String debugLine(DebugFlag debug) {
    return switch (debug) {
      case SET -> "true (its host can debug it: no key-release policy should trust it)";
      case CLEAR -> "false";
      case NOT_REPORTED -> "not reported by this kind of evidence";
    };
  }

  /** An ISO-8601 instant, offset date-time, or date (midnight UTC). */
  static Instant parseTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new UsageException(
            "--at: '"
                + text
                + "' is not an ISO-8601 time such as 2025-06-01T00:00:00Z or a date such as 2025-06-01");
      }
    }
  }
}
