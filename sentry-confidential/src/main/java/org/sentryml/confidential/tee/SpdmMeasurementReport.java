package org.sentryml.confidential.tee;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;
import java.util.Set;
import org.sentryml.core.errors.MalformedInputException;

/**
 * An NVIDIA GPU's attestation report: an SPDM 1.1 GET_MEASUREMENTS request (37 bytes) followed by
 * the device's MEASUREMENTS response (DMTF DSP0274 1.1), whose ECDSA P-384 signature covers the
 * request and the response up to the signature. NVIDIA's tools exchange it as hex text; binary is
 * read too. Parsing checks the structure; {@link NvidiaVerifier} checks what it means. Offsets in
 * docs/ATTESTATION.md.
 *
 * @param requestNonce the verifier's nonce in the request: what binds the report to a request
 * @param blocks the measurement blocks, in the response's order
 * @param measurementRecord the record's bytes, as signed
 * @param opaqueData NVIDIA's opaque data items by type, in order
 * @param signature {@code r ‖ s}, big-endian, 48 bytes each
 */
record SpdmMeasurementReport(
    Octets requestNonce,
    List<MeasurementBlock> blocks,
    Octets measurementRecord,
    SequencedMap<Integer, Octets> opaqueData,
    Octets signedBytes,
    Octets signature) {
  /** The hex text of a report with all 255 blocks and full opaque data stays below this. */
  static final int MAX_BYTES = 256 << 10;

  /** Opaque data type of the firmware id that the device certificate must name. */
  static final int FWID = 20;

  static final int DRIVER_VERSION = 3;
  static final int VBIOS_VERSION = 6;

  private static final String DOCUMENT = "NVIDIA SPDM report";
  private static final int SPDM_1_1 = 0x11;
  private static final int GET_MEASUREMENTS = 0xE0;
  private static final int MEASUREMENTS = 0x60;
  private static final int DMTF_SPECIFICATION = 1;
  private static final int SIGNATURE_BYTES = 96;

  /** One measurement block: its index and its DMTF-format value. */
  record MeasurementBlock(int index, Octets value) {}

  /**
   * Parses a report, hex text or binary.
   *
   * @throws MalformedInputException naming the field, for a report that is not SPDM 1.1
   *     GET_MEASUREMENTS with a signed response, is truncated or has bytes after the signature
   */
  static SpdmMeasurementReport parse(byte[] evidence) {
    if (evidence.length > MAX_BYTES) {
      throw new MalformedInputException(
          String.format(
              Locale.ROOT, "%s: %d bytes, more than %d", DOCUMENT, evidence.length, MAX_BYTES));
    }
    byte[] report = evidence.length > 0 && evidence[0] == SPDM_1_1 ? evidence : fromHex(evidence);
    EvidenceReader reader = new EvidenceReader(report, DOCUMENT);
    expect(reader, SPDM_1_1, "request.spdm_version");
    expect(reader, GET_MEASUREMENTS, "request.code");
    int attributes = reader.u8("request.param1");
    if ((attributes & 1) == 0) {
      throw reader.malformed("the request did not ask for a signature (param1 bit 0)");
    }
    reader.skip(1, "request.param2");
    Octets requestNonce = reader.octets(32, "request.nonce");
    reader.skip(1, "request.slot_id");
    expect(reader, SPDM_1_1, "response.spdm_version");
    expect(reader, MEASUREMENTS, "response.code");
    reader.skip(2, "response.param1 and param2");
    int blockCount = reader.u8("response.number_of_blocks");
    int recordLength = reader.u24("response.measurement_record_length");
    int recordAt = reader.position();
    byte[] record = reader.bytes(recordLength, "response.measurement_record");
    List<MeasurementBlock> blocks =
        blocks(new EvidenceReader(record, DOCUMENT + " measurement record"), blockCount);
    // The responder's own nonce is signed with the rest; the request's binds the report.
    reader.skip(32, "response.nonce");
    int opaqueLength = reader.u16("response.opaque_length");
    SequencedMap<Integer, Octets> opaque =
        opaqueData(
            new EvidenceReader(
                reader.bytes(opaqueLength, "response.opaque_data"), DOCUMENT + " opaque data"));
    Octets signed = reader.copyOf(0, reader.position());
    Octets signature = reader.octets(SIGNATURE_BYTES, "response.signature");
    reader.requireEnd();
    return new SpdmMeasurementReport(
        requestNonce, blocks, Octets.of(report, recordAt, recordLength), opaque, signed, signature);
  }

  /** An opaque data item's text, up to its first NUL (the C strings NVIDIA writes). */
  static String text(Octets item) {
    byte[] bytes = item.toByteArray();
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    StringBuilder text = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      int c = bytes[i] & 0xff;
      text.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
    }
    return text.toString();
  }

  private static List<MeasurementBlock> blocks(EvidenceReader reader, int count) {
    List<MeasurementBlock> blocks = new ArrayList<>(count);
    Set<Integer> indices = new HashSet<>();
    for (int i = 0; i < count; i++) {
      int index = reader.u8("block.index");
      int specification = reader.u8("block.measurement_specification");
      if (specification != DMTF_SPECIFICATION) {
        throw reader.malformed(
            "block "
                + index
                + " is not in the DMTF measurement format (specification "
                + specification
                + ")");
      }
      int size = reader.u16("block.measurement_size");
      EvidenceReader measurement =
          new EvidenceReader(reader.bytes(size, "block.measurement"), DOCUMENT + " block " + index);
      measurement.skip(1, "dmtf.value_type");
      int valueSize = measurement.u16("dmtf.value_size");
      Octets value = Octets.of(measurement.bytes(valueSize, "dmtf.value"));
      measurement.requireEnd();
      if (!indices.add(index)) {
        throw reader.malformed("measurement block " + index + " appears twice");
      }
      blocks.add(new MeasurementBlock(index, value));
    }
    reader.requireEnd();
    return List.copyOf(blocks);
  }

  private static SequencedMap<Integer, Octets> opaqueData(EvidenceReader reader) {
    SequencedMap<Integer, Octets> items = new LinkedHashMap<>();
    while (reader.remaining() > 0) {
      int type = reader.u16("opaque.type");
      int size = reader.u16("opaque.size");
      if (items.putIfAbsent(type, Octets.of(reader.bytes(size, "opaque.data"))) != null) {
        throw reader.malformed("opaque data item " + type + " appears twice");
      }
    }
    for (int required : new int[] {FWID, DRIVER_VERSION, VBIOS_VERSION}) {
      if (!items.containsKey(required)) {
        throw reader.malformed(
            "no opaque data item "
                + required
                + " (FWID 20, driver version 3 and VBIOS version 6 are required)");
      }
    }
    return items;
  }

  private static void expect(EvidenceReader reader, int expected, String field) {
    int found = reader.u8(field);
    if (found != expected) {
      throw reader.malformed(
          String.format(Locale.ROOT, "%s is 0x%02x, not 0x%02x", field, found, expected));
    }
  }

  private static byte[] fromHex(byte[] text) {
    int from = 0;
    int to = text.length;
    while (from < to && Character.isWhitespace(text[from])) {
      from++;
    }
    while (to > from && Character.isWhitespace(text[to - 1])) {
      to--;
    }
    StringBuilder hex = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      hex.append((char) (text[i] & 0xff));
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(
          DOCUMENT + ": neither SPDM 1.1 bytes nor hex text: " + e.getMessage(), e);
    }
  }
}
