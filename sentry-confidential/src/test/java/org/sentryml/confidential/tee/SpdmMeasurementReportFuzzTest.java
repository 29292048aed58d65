package org.sentryml.confidential.tee;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as an NVIDIA SPDM report (hex text or binary): the parser either returns a report whose
 * signed part and signature are all of it, with the opaque items the verifier needs, or refuses
 * with a {@link SentryException}; nothing else may escape.
 */
class SpdmMeasurementReportFuzzTest {
  @FuzzTest
  void reportIsAcceptedOnlyWhenTheSignatureEndsIt(byte[] input) {
    SpdmMeasurementReport report;
    try {
      report = SpdmMeasurementReport.parse(input);
    } catch (SentryException expected) {
      return;
    }
    boolean binary = input.length > 0 && input[0] == 0x11;
    if (binary && report.signedBytes().length() + report.signature().length() != input.length) {
      throw new AssertionError("accepted bytes after the signature");
    }
    if (!report.opaqueData().containsKey(SpdmMeasurementReport.FWID)
        || report.requestNonce().length() != 32) {
      throw new AssertionError("accepted a report without its FWID or nonce");
    }
  }
}
