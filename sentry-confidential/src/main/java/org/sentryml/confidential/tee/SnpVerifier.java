package org.sentryml.confidential.tee;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import org.sentryml.core.errors.UsageException;

/**
 * Verifies AMD SEV-SNP reports signed by a VCEK or a VLEK, whose certificate comes beside the
 * report (the chip's VCEK from AMD's KDS, or the cloud's VLEK).
 *
 * <p>The product line is the one whose AMD key signed the certificate: the ASK of Milan, Genoa or
 * Turin for a VCEK, the ASVK for a VLEK — which also tells the two kinds apart; the report's
 * SIGNING_KEY must name that kind, and the certificate's productName that line. The chain checks
 * the certificate, its AMD key and the pinned ARK; the certificate's TCB extensions must equal the
 * report's REPORTED_TCB (the TCB the key was derived for), a VCEK's hwID the report's CHIP_ID
 * (unless MASK_CHIP_KEY zeroed it), and the key must have signed the report. Further certificates
 * in the file (AMD's own chain, as KDS serves it) must be the pinned ones of that line.
 */
final class SnpVerifier implements EvidenceVerifier {
  private static final String ENDORSEMENT = "endorsement key certificate";

  @Override
  public EvidenceType type() {
    return EvidenceType.SNP;
  }

  @Override
  public Claims verify(Evidence evidence, Instant time) {
    evidence.requireType(this);
    if (evidence.certificates().length() == 0) {
      throw new UsageException(
          "an SNP report needs its VCEK or VLEK certificate beside it (on the command line: --cert-chain)");
    }
    SnpReport report = SnpReport.parse(evidence.report().toByteArray());
    List<X509Certificate> given =
        Certificates.fromPemOrDer(evidence.certificates().toByteArray(), "SNP " + ENDORSEMENT);
    X509Certificate certificate = given.getFirst();
    Endorsement endorsement = endorsement(certificate);
    SnpProductLine line = endorsement.line();
    SnpSigningKey kind = endorsement.kind();
    String chain = kind.displayName() + " chain (" + line.displayName() + ")";
    VendorChain.verify(type(), chain, List.of(certificate, line.issuerOf(kind)), line.ark(), time);
    for (X509Certificate extra : given.subList(1, given.size())) {
      if (!line.isAmdCertificate(extra)) {
        throw Check.ROOT_PIN.failed(
            type(),
            "the certificate file also holds "
                + Certificates.name(extra)
                + ", which is not one of AMD's pinned "
                + line.displayName()
                + " certificates (ASK, ASVK, ARK)");
      }
    }
    checkSigningKey(report, kind);
    SequencedMap<String, Long> reportedTcb = line.tcbComponents(report.reportedTcb());
    AmdKeyExtensions extensions =
        AmdKeyExtensions.of(certificate, reportedTcb.keySet(), "SNP " + kind.displayName());
    if (!extensions.productName().startsWith(line.displayName())) {
      throw Check.PRODUCT_LINE.failed(
          type(),
          "the "
              + kind.displayName()
              + " names product '"
              + extensions.productName()
              + "', but "
              + line.displayName()
              + "'s AMD key signed it");
    }
    if (!extensions.spls().equals(reportedTcb)) {
      throw Check.TCB_BINDING.failed(
          type(),
          "the "
              + kind.displayName()
              + " was issued for TCB "
              + extensions.spls()
              + ", but the report was signed under REPORTED_TCB "
              + reportedTcb);
    }
    if (kind == SnpSigningKey.VCEK && !report.chipIdMasked()) {
      Octets hardwareId =
          extensions
              .hardwareId()
              .orElseThrow(
                  () ->
                      Check.CHIP_ID.failed(
                          type(), "the VCEK has no hwID extension to match CHIP_ID"));
      if (!hardwareId.matches(report.chipId())) {
        throw Check.CHIP_ID.failed(
            type(),
            "the VCEK was issued for chip "
                + hardwareId
                + ", but the report comes from chip "
                + report.chipId());
      }
    }
    if (!RawEcdsa.verify(
        RawEcdsa.P384_SHA384,
        certificate.getPublicKey(),
        report.signedBytes().toByteArray(),
        report.signature().toByteArray())) {
      throw Check.REPORT_SIGNATURE.failed(
          type(),
          "the "
              + kind.displayName()
              + "'s ECDSA P-384 signature"
              + " does not verify over report bytes 0 to 0x29F");
    }
    return claims(report, line, kind);
  }

  private record Endorsement(SnpProductLine line, SnpSigningKey kind) {}

  /** The line and kind of the AMD key that signed {@code certificate}. */
  private Endorsement endorsement(X509Certificate certificate) {
    for (SnpProductLine line : SnpProductLine.values()) {
      for (SnpSigningKey kind : SnpSigningKey.values()) {
        try {
          certificate.verify(line.issuerOf(kind).getPublicKey());
          return new Endorsement(line, kind);
        } catch (GeneralSecurityException | RuntimeException notThisOne) {
          // Try the next AMD key.
        }
      }
    }
    throw Check.CERTIFICATE_CHAIN.failed(
        type(),
        String.format(
            Locale.ROOT,
            "the %s %s is signed by none of AMD's keys: the ASK (VCEKs) or ASVK (VLEKs) of Milan, Genoa or Turin",
            ENDORSEMENT,
            Certificates.name(certificate)));
  }

  private void checkSigningKey(SnpReport report, SnpSigningKey kind) {
    int field = report.signingKeyField();
    SnpSigningKey named =
        switch (field) {
          case 0 -> SnpSigningKey.VCEK;
          case 1 -> SnpSigningKey.VLEK;
          default ->
              throw Check.SIGNING_KEY.failed(
                  type(),
                  "the report's SIGNING_KEY is "
                      + field
                      + (field == 7 ? " (none): the report is unsigned" : ", which names no key"));
        };
    if (named != kind) {
      throw Check.SIGNING_KEY.failed(
          type(),
          "the report says it is signed by a "
              + named.displayName()
              + ", but the certificate given is a "
              + kind.displayName());
    }
  }

  private Claims claims(SnpReport report, SnpProductLine line, SnpSigningKey kind) {
    ClaimsBuilder claims =
        new ClaimsBuilder()
            .measurement("measurement", report.measurement())
            .measurement("host_data", report.hostData())
            .measurement("policy", report.policy())
            .measurement("vmpl", report.vmpl())
            .measurement("guest_svn", report.guestSvn())
            .measurement("family_id", report.familyId())
            .measurement("image_id", report.imageId())
            .measurement("id_key_digest", report.idKeyDigest())
            .measurement("author_key_digest", report.authorKeyDigest())
            .tcb("product", line.displayName())
            .tcb("signing_key", kind.id())
            .tcb("report_version", report.version());
    tcbVersion(claims, line, "reported_tcb", report.reportedTcb());
    tcbVersion(claims, line, "committed_tcb", report.committedTcb());
    tcbVersion(claims, line, "current_tcb", report.currentTcb());
    tcbVersion(claims, line, "launch_tcb", report.launchTcb());
    claims
        .tcb("current_version", report.currentVersion())
        .tcb("committed_version", report.committedVersion())
        .tcb("platform_info", report.platformInfo())
        .tcb("chip_id", report.chipId());
    return claims.build(
        type(),
        report.measurement(),
        report.debug() ? DebugFlag.SET : DebugFlag.CLEAR,
        report.reportData());
  }

  private static void tcbVersion(
      ClaimsBuilder claims, SnpProductLine line, String name, long tcbVersion) {
    for (Map.Entry<String, Long> component : line.tcbComponents(tcbVersion).entrySet()) {
      claims.tcb(name + "." + component.getKey(), component.getValue());
    }
  }
}
