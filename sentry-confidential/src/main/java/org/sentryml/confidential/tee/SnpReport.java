package org.sentryml.confidential.tee;

import java.util.Locale;
import org.sentryml.core.errors.MalformedInputException;

/**
 * An AMD SEV-SNP attestation report (SNP firmware ABI, ATTESTATION_REPORT; 1184 bytes, versions 2
 * to 5, whose fields read here sit at the same offsets). The signature covers bytes 0 to 0x29F; its
 * r and s are little-endian, 72 bytes each, at 0x2A0 and 0x2E8, of which P-384 uses the low 48; the
 * rest of the signature field is reserved. Parsing checks the structure (and that the unsigned
 * reserved bytes are zero, so that no byte of an accepted report is free to change); {@link
 * SnpVerifier} checks what it means. Offsets in docs/ATTESTATION.md.
 *
 * @param keyInfo the 32-bit field at 0x48: AUTHOR_KEY_EN (bit 0), MASK_CHIP_KEY (bit 1),
 *     SIGNING_KEY (bits 2–4: 0 VCEK, 1 VLEK, 7 none)
 * @param signature {@code r ‖ s}, big-endian, 48 bytes each
 */
record SnpReport(
    long version,
    long guestSvn,
    long policy,
    Octets familyId,
    Octets imageId,
    long vmpl,
    long currentTcb,
    long platformInfo,
    long keyInfo,
    Octets reportData,
    Octets measurement,
    Octets hostData,
    Octets idKeyDigest,
    Octets authorKeyDigest,
    long reportedTcb,
    Octets chipId,
    long committedTcb,
    String currentVersion,
    String committedVersion,
    long launchTcb,
    Octets signedBytes,
    Octets signature) {
  static final int SIZE = 0x4A0;
  static final int SIGNED_BYTES = 0x2A0;

  /** SIGNATURE_ALGO 1: ECDSA P-384 with SHA-384. */
  static final long ECDSA_P384_SHA384 = 1;

  private static final String DOCUMENT = "SNP report";
  private static final int COMPONENT = 72;
  private static final int P384 = 48;
  private static final long DEBUG = 1L << 19;

  /**
   * Parses a report.
   *
   * @throws MalformedInputException naming the field, for a report of another size, version or
   *     signature algorithm, or with non-zero bits where the signature field is reserved
   */
  static SnpReport parse(byte[] report) {
    if (report.length != SIZE) {
      throw new MalformedInputException(
          String.format(
              Locale.ROOT,
              "%s: %d bytes; an attestation report is %d",
              DOCUMENT,
              report.length,
              SIZE));
    }
    EvidenceReader reader = new EvidenceReader(report, DOCUMENT);
    long version = reader.u32("version");
    if (version < 2 || version > 5) {
      throw reader.malformed("report version " + version + "; Sentry reads versions 2 to 5");
    }
    long guestSvn = reader.u32("guest_svn");
    long policy = reader.u64("policy");
    Octets familyId = reader.octets(16, "family_id");
    Octets imageId = reader.octets(16, "image_id");
    long vmpl = reader.u32("vmpl");
    long signatureAlgorithm = reader.u32("signature_algo");
    if (signatureAlgorithm != ECDSA_P384_SHA384) {
      throw reader.malformed(
          "signature algorithm "
              + signatureAlgorithm
              + "; reports are signed with 1 (ECDSA P-384 with SHA-384)");
    }
    long currentTcb = reader.u64("current_tcb");
    long platformInfo = reader.u64("platform_info");
    long keyInfo = reader.u32("key_info");
    reader.skip(4, "reserved");
    Octets reportData = reader.octets(64, "report_data");
    Octets measurement = reader.octets(48, "measurement");
    Octets hostData = reader.octets(32, "host_data");
    Octets idKeyDigest = reader.octets(48, "id_key_digest");
    Octets authorKeyDigest = reader.octets(48, "author_key_digest");
    reader.skip(64, "report_id and report_id_ma");
    long reportedTcb = reader.u64("reported_tcb");
    reader.skip(24, "cpuid and reserved");
    Octets chipId = reader.octets(64, "chip_id");
    long committedTcb = reader.u64("committed_tcb");
    String currentVersion = version(reader, "current");
    String committedVersion = version(reader, "committed");
    long launchTcb = reader.u64("launch_tcb");
    reader.skip(SIGNED_BYTES - reader.position(), "reserved");
    Octets signedBytes = reader.copyOf(0, SIGNED_BYTES);
    byte[] r = littleEndianComponent(reader, "signature.r");
    byte[] s = littleEndianComponent(reader, "signature.s");
    if (!reader.octets(reader.remaining(), "signature.reserved").isZero()) {
      throw reader.malformed(
          "the reserved bytes after the signature (0x330 to 0x49F) are not zero");
    }
    byte[] signature = new byte[2 * P384];
    System.arraycopy(r, 0, signature, 0, P384);
    System.arraycopy(s, 0, signature, P384, P384);
    return new SnpReport(
        version,
        guestSvn,
        policy,
        familyId,
        imageId,
        vmpl,
        currentTcb,
        platformInfo,
        keyInfo,
        reportData,
        measurement,
        hostData,
        idKeyDigest,
        authorKeyDigest,
        reportedTcb,
        chipId,
        committedTcb,
        currentVersion,
        committedVersion,
        launchTcb,
        signedBytes,
        Octets.of(signature));
  }

  /** Whether the guest policy's DEBUG bit (19) allows the host to debug the guest. */
  boolean debug() {
    return (policy & DEBUG) != 0;
  }

  /** The SIGNING_KEY field: 0 for the VCEK, 1 for a VLEK, 7 for no key. */
  int signingKeyField() {
    return (int) ((keyInfo >>> 2) & 0x7);
  }

  /** Whether MASK_CHIP_KEY is set: the firmware then zeroes CHIP_ID. */
  boolean chipIdMasked() {
    return (keyInfo & 0x2) != 0;
  }

  /** A firmware version as {@code major.minor.build} from its build, minor, major bytes. */
  private static String version(EvidenceReader reader, String which) {
    int build = reader.u8(which + "_build");
    int minor = reader.u8(which + "_minor");
    int major = reader.u8(which + "_major");
    reader.skip(1, "reserved");
    return major + "." + minor + "." + build;
  }

  /** A signature component, big-endian, refusing bits above P-384's 48 bytes. */
  private static byte[] littleEndianComponent(EvidenceReader reader, String field) {
    byte[] littleEndian = reader.octets(COMPONENT, field).toByteArray();
    for (int i = P384; i < COMPONENT; i++) {
      if (littleEndian[i] != 0) {
        throw reader.malformed(field + " is wider than a P-384 signature component (48 bytes)");
      }
    }
    byte[] bigEndian = new byte[P384];
    for (int i = 0; i < P384; i++) {
      bigEndian[i] = littleEndian[P384 - 1 - i];
    }
    return bigEndian;
  }
}
