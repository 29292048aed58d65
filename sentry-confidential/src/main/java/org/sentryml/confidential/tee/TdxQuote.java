package org.sentryml.confidential.tee;

import java.util.Locale;
import org.sentryml.core.errors.MalformedInputException;

/**
 * An Intel TDX DCAP quote, version 4 (header ‖ TD 1.0 body ‖ signature data) or 5 (header ‖ body
 * type and size ‖ TD 1.0 or 1.5 body ‖ signature data), with an ECDSA P-256 attestation key.
 * Parsing checks the structure only; {@link TdxVerifier} checks what it means.
 *
 * @param bodyType 2 (TDX 1.0) or 3 (TDX 1.5); version 4 quotes are type 2
 * @param signedBytes what the attestation key signs: everything before the signature data
 */
record TdxQuote(
    QuoteHeader header,
    int bodyType,
    TdQuoteBody body,
    Octets signedBytes,
    QuoteSignature signature) {
  /** The TEE type of a TD in the quote header. */
  static final long TEE_TYPE_TDX = 0x81;

  /** The largest quote the kernel hands out (configfs-tsm's TSM_OUTBLOB_MAX). */
  static final int MAX_BYTES = 32 << 10;

  private static final String DOCUMENT = "TDX quote";
  private static final int BODY_TDX10 = 2;
  private static final int BODY_TDX15 = 3;

  /**
   * Parses a quote.
   *
   * @throws MalformedInputException naming the field, for a quote that is truncated, too long, of
   *     another version, key or TEE type, or whose lengths disagree
   */
  static TdxQuote parse(byte[] quote) {
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
    if (header.version() != 4 && header.version() != 5) {
      throw reader.malformed(
          "quote version " + header.version() + "; Sentry reads TDX quotes of version 4 and 5");
    }
    if (header.attestationKeyType() != QuoteHeader.ECDSA_P256) {
      throw reader.malformed(
          "attestation key type "
              + header.attestationKeyType()
              + "; DCAP quotes use 2 (ECDSA P-256)");
    }
    if (header.teeType() != TEE_TYPE_TDX) {
      throw reader.malformed(
          String.format(
              Locale.ROOT,
              "TEE type 0x%x is not a TD (0x81)%s",
              header.teeType(),
              header.teeType() == 0 ? "; this is an SGX quote" : ""));
    }
    int bodyType = BODY_TDX10;
    if (header.version() == 5) {
      bodyType = reader.u16("body.type");
      long size = reader.u32("body.size");
      long expected =
          switch (bodyType) {
            case BODY_TDX10 -> TdQuoteBody.SIZE_TDX10;
            case BODY_TDX15 -> TdQuoteBody.SIZE_TDX15;
            default ->
                throw reader.malformed(
                    "body type " + bodyType + " is not a TD report (2: TDX 1.0, 3: TDX 1.5)");
          };
      if (size != expected) {
        throw reader.malformed(
            String.format(
                Locale.ROOT, "body type %d is %d bytes, not %d", bodyType, expected, size));
      }
    }
    TdQuoteBody body = TdQuoteBody.read(reader, bodyType == BODY_TDX15);
    Octets signed = reader.copyOf(0, reader.position());
    QuoteSignature signature = QuoteSignature.read(reader, true, DOCUMENT);
    return new TdxQuote(header, bodyType, body, signed, signature);
  }
}
