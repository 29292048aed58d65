package org.sentryml.confidential.tee;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as an SGX quote: the parser either returns a version 3 quote with a PCK chain or
 * refuses with a {@link SentryException}; nothing else may escape.
 */
class SgxQuoteFuzzTest {
  @FuzzTest
  void quoteIsAcceptedOnlyWithItsChain(byte[] input) {
    SgxQuote quote;
    try {
      quote = SgxQuote.parse(input);
    } catch (SentryException expected) {
      return;
    }
    if (quote.header().version() != 3
        || quote.signedBytes().length() != QuoteHeader.SIZE + SgxReportBody.SIZE
        || quote.signature().pckChain().isEmpty()) {
      throw new AssertionError("accepted a malformed SGX quote of " + input.length + " bytes");
    }
  }
}
