package org.sentryml.confidential.broker;

import com.google.gson.JsonObject;
import java.util.Base64;
import java.util.Set;
import org.sentryml.confidential.tee.Evidence;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.Octets;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.JsonFields;

/**
 * How evidence travels in {@code tee-evidence.primary_evidence}. TDX and SGX quotes as Trustee's
 * attesters send them: {@code {"quote": <base64>}}, with Trustee's optional {@code cc_eventlog} and
 * {@code aa_eventlog} strings accepted and not used (nothing in Sentry's policy reads event logs).
 * SNP, NVIDIA and sample evidence in Sentry's form: {@code {"report": <base64>, "certificates":
 * <base64>}}, the certificates (an SNP VCEK or VLEK, NVIDIA's device chain) optional. Stateless.
 */
final class EvidenceEncoding {
  private static final String WHAT = "KBS attestation";
  private static final Set<String> QUOTE_MEMBERS = Set.of("quote", "cc_eventlog", "aa_eventlog");
  private static final Set<String> REPORT_MEMBERS = Set.of("report", "certificates");

  private EvidenceEncoding() {}

  static JsonObject encode(Evidence evidence) {
    JsonObject json = new JsonObject();
    String report = Base64.getEncoder().encodeToString(evidence.report().toByteArray());
    if (carriesQuote(evidence.type())) {
      json.addProperty("quote", report);
    } else {
      json.addProperty("report", report);
      if (evidence.certificates().length() > 0) {
        json.addProperty(
            "certificates",
            Base64.getEncoder().encodeToString(evidence.certificates().toByteArray()));
      }
    }
    return json;
  }

  /**
   * The evidence of type {@code type} in {@code primary}.
   *
   * @throws MalformedInputException for members of another form, or bytes that are not base64
   */
  static Evidence decode(EvidenceType type, JsonObject primary) {
    String path = "tee-evidence.primary_evidence";
    JsonFields fields = new JsonFields(primary, path, WHAT);
    if (carriesQuote(type)) {
      Messages.onlyMembers(primary, WHAT + " " + path, QUOTE_MEMBERS);
      fields.optionalString("cc_eventlog");
      fields.optionalString("aa_eventlog");
      return Evidence.of(type, fields.base64("quote"));
    }
    Messages.onlyMembers(primary, WHAT + " " + path, REPORT_MEMBERS);
    byte[] certificates = fields.has("certificates") ? fields.base64("certificates") : new byte[0];
    return new Evidence(type, Octets.of(fields.base64("report")), Octets.of(certificates));
  }

  private static boolean carriesQuote(EvidenceType type) {
    return type == EvidenceType.TDX || type == EvidenceType.SGX;
  }
}
