package org.sentryml.confidential.tee;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.sentryml.core.errors.UsageException;

/**
 * Verifies an NVIDIA Hopper GPU's SPDM measurement report against its device certificate chain
 * (PEM, the signing certificate first, ending in the pinned NVIDIA Device Identity CA): the chain,
 * that the signing certificate's FWID equals the report's, and that its key signed the request and
 * response. Claims the measurement blocks, the firmware versions and FWID, and the request nonce as
 * report data; SPDM reports carry no debug flag.
 */
final class NvidiaVerifier implements EvidenceVerifier {
  private static final String CHAIN = "NVIDIA device certificate chain";

  @Override
  public EvidenceType type() {
    return EvidenceType.NVIDIA;
  }

  @Override
  public Claims verify(Evidence evidence, Instant time) {
    evidence.requireType(this);
    if (evidence.certificates().length() == 0) {
      throw new UsageException(
          "an NVIDIA report needs the device certificate chain beside it (on the command line: --cert-chain)");
    }
    SpdmMeasurementReport report = SpdmMeasurementReport.parse(evidence.report().toByteArray());
    List<X509Certificate> chain =
        Certificates.fromPem(evidence.certificates().toByteArray(), CHAIN);
    List<X509Certificate> path =
        VendorChain.belowPinnedRoot(type(), CHAIN, chain, PinnedRoot.NVIDIA_DEVICE_IDENTITY_CA);
    VendorChain.verify(type(), CHAIN, path, PinnedRoot.NVIDIA_DEVICE_IDENTITY_CA, time);
    X509Certificate signer = path.getFirst();
    Octets reportFwid = report.opaqueData().get(SpdmMeasurementReport.FWID);
    Octets certificateFwid =
        NvidiaFwid.of(signer, CHAIN)
            .orElseThrow(
                () ->
                    Check.FWID.failed(
                        type(),
                        "the signing certificate "
                            + Certificates.name(signer)
                            + " has no FWID (DICE extension 2.23.133.5.4.1): "
                            + "the chain lacks the device's firmware certificate"));
    if (!certificateFwid.matches(reportFwid)) {
      throw Check.FWID.failed(
          type(),
          "the signing certificate was issued for firmware "
              + certificateFwid
              + ", but the report names firmware "
              + reportFwid);
    }
    if (!RawEcdsa.verify(
        RawEcdsa.P384_SHA384,
        signer.getPublicKey(),
        report.signedBytes().toByteArray(),
        report.signature().toByteArray())) {
      throw Check.REPORT_SIGNATURE.failed(
          type(),
          String.format(
              Locale.ROOT,
              "the signature by %s does not verify over the request and response (bytes 0 to %d)",
              Certificates.name(signer),
              report.signedBytes().length()));
    }
    return claims(report);
  }

  private Claims claims(SpdmMeasurementReport report) {
    ClaimsBuilder claims = new ClaimsBuilder();
    for (SpdmMeasurementReport.MeasurementBlock block : report.blocks()) {
      claims.measurement("block_" + block.index(), block.value());
    }
    Octets vbios = report.opaqueData().get(SpdmMeasurementReport.VBIOS_VERSION);
    claims
        .tcb(
            "driver_version",
            SpdmMeasurementReport.text(
                report.opaqueData().get(SpdmMeasurementReport.DRIVER_VERSION)))
        .tcb("vbios_version", vbiosVersion(vbios))
        .tcb("fwid", report.opaqueData().get(SpdmMeasurementReport.FWID))
        .tcb("measurement_blocks", report.blocks().size());
    return claims.build(
        type(), sha384(report.measurementRecord()), DebugFlag.NOT_REPORTED, report.requestNonce());
  }

  /**
   * The VBIOS version as NVIDIA prints it: the first half of the bytes reversed, then the first
   * byte of the second half, in two-digit hex joined by dots ({@code 009f009601000000} → {@code
   * 96.00.9f.00.01}).
   */
  private static String vbiosVersion(Octets item) {
    byte[] bytes = item.toByteArray();
    if (bytes.length < 2) {
      return HexFormat.of().formatHex(bytes);
    }
    HexFormat hex = HexFormat.of();
    StringBuilder version = new StringBuilder();
    for (int i = bytes.length / 2 - 1; i >= 0; i--) {
      version.append(hex.toHexDigits(bytes[i])).append('.');
    }
    return version.append(hex.toHexDigits(bytes[bytes.length / 2])).toString();
  }

  private static Octets sha384(Octets data) {
    try {
      return Octets.of(MessageDigest.getInstance("SHA-384").digest(data.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-384 is mandatory in every Java runtime", e);
    }
  }
}
