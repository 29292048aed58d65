package org.sentryml.confidential.tee;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as an SNP report: the parser either returns a report of exactly 1184 bytes whose
 * unsigned tail is zero or refuses with a {@link SentryException}; nothing else may escape.
 */
class SnpReportFuzzTest {
  @FuzzTest
  void reportIsAcceptedOnlyWhenNoUnsignedByteIsFree(byte[] input) {
    SnpReport report;
    try {
      report = SnpReport.parse(input);
    } catch (SentryException expected) {
      return;
    }
    boolean tailIsZero =
        Arrays.equals(Arrays.copyOfRange(input, 0x2A0 + 48, 0x2A0 + 72), new byte[24])
            && Arrays.equals(
                Arrays.copyOfRange(input, 0x2E8 + 48, SnpReport.SIZE),
                new byte[SnpReport.SIZE - 0x2E8 - 48]);
    if (input.length != SnpReport.SIZE
        || !tailIsZero
        || report.signedBytes().length() != SnpReport.SIGNED_BYTES) {
      throw new AssertionError("accepted a report with free unsigned bytes");
    }
  }
}
