package org.sentryml.confidential.tee;

import java.util.Locale;
import org.sentryml.core.errors.MalformedInputException;

/**
 * An Intel SGX DCAP quote, version 3: header ‖ enclave report body ‖ signature data, with an ECDSA
 * P-256 attestation key. Parsing checks the structure only; {@link SgxVerifier} checks what it
 * means.
 *
 * @param signedBytes what the attestation key signs: the header and the report body
 */
record SgxQuote(
    QuoteHeader header, SgxReportBody body, Octets signedBytes, QuoteSignature signature) {
  /** Quotes with their PCK chain are a few KiB; this bounds what a parse reads. */
  static final int MAX_BYTES = 32 << 10;

  private static final String DOCUMENT = "SGX quote";

  /**
   * Parses a quote.
   *
   * @throws MalformedInputException naming the field, for a quote that is truncated, too long, of
   *     another version, key or TEE type, or whose lengths disagree
   */
  static SgxQuote parse(byte[] quote) {
    if (quote.length > MAX_BYTES) {
      throw new MalformedInputException(
          String.format(
              Locale.ROOT,
              "%s: %d bytes, more than a quote's %d",
              DOCUMENT,
              quote.length,
              MAX_BYTES));
    }
    EvidenceReader reader = new EvidenceReader(quote, DOCUMENT);
    QuoteHeader header = QuoteHeader.read(reader);
    if (header.version() != 3) {
      throw reader.malformed(
          "quote version " + header.version() + "; Sentry reads SGX quotes of version 3");
    }
    if (header.attestationKeyType() != QuoteHeader.ECDSA_P256) {
      throw reader.malformed(
          "attestation key type "
              + header.attestationKeyType()
              + "; DCAP quotes use 2 (ECDSA P-256)");
    }
    if (header.teeType() != 0) {
      throw reader.malformed(
          String.format(
              Locale.ROOT,
              "TEE type 0x%x is not SGX (0)%s",
              header.teeType(),
              header.teeType() == TdxQuote.TEE_TYPE_TDX ? "; this is a TDX quote" : ""));
    }
    SgxReportBody body = SgxReportBody.read(reader, "body.");
    Octets signed = reader.copyOf(0, reader.position());
    QuoteSignature signature = QuoteSignature.read(reader, false, DOCUMENT);
    return new SgxQuote(header, body, signed, signature);
  }
}
