package org.sentryml.confidential.tee;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as a TDX quote: the parser either returns a quote whose parts add up to the input or
 * refuses with a {@link SentryException}; nothing else may escape.
 */
class TdxQuoteFuzzTest {
  @FuzzTest
  void quoteIsAcceptedOnlyWhenItsPartsAddUp(byte[] input) {
    TdxQuote quote;
    try {
      quote = TdxQuote.parse(input);
    } catch (SentryException expected) {
      return;
    }
    int body = quote.bodyType() == 3 ? TdQuoteBody.SIZE_TDX15 : TdQuoteBody.SIZE_TDX10;
    int signed = QuoteHeader.SIZE + (quote.header().version() == 5 ? 6 : 0) + body;
    if (quote.signedBytes().length() != signed || quote.signature().pckChain().isEmpty()) {
      throw new AssertionError(
          "accepted a quote whose signed part is "
              + quote.signedBytes().length()
              + " bytes, not "
              + signed);
    }
  }
}
