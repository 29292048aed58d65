package org.sentryml.agent.keycache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sentryml.confidential.tee.Attester;
import org.sentryml.confidential.tee.ConfigfsTsmAttester;
import org.sentryml.confidential.tee.Evidence;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.Octets;
import org.sentryml.confidential.tee.ProgramJars;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.BoundedFiles;
import picocli.CommandLine.Option;

/** Which evidence the key cache produces, and what it needs for it. */
final class EvidenceOptions {
  @Option(
      names = "--evidence",
      paramLabel = "TYPE",
      defaultValue = "sample",
      description =
          "sample (INSECURE: software measurement, no TEE), tdx or snp (Linux configfs-tsm); default: ${DEFAULT-VALUE}.")
  String evidence;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration files measured into sample evidence (repeatable).")
  List<Path> configFiles;

  @Option(
      names = "--vcek",
      paramLabel = "FILE",
      description = "snp: the platform's VCEK or VLEK (DER or PEM), sent beside each report.")
  Path vcek;

  @Option(
      names = "--tsm-root",
      paramLabel = "DIR",
      hidden = true,
      description = "The configfs-tsm report folder (tests).")
  Path tsmRoot;

  EvidenceType type() {
    EvidenceType type = EvidenceType.parse(evidence);
    if (type != EvidenceType.SAMPLE && type != EvidenceType.TDX && type != EvidenceType.SNP) {
      throw new UsageException("--evidence must be sample, tdx or snp, not " + evidence);
    }
    return type;
  }

  SampleAttester sample() {
    return new SampleAttester(
        ProgramJars.of(System.getProperty("java.class.path")),
        configFiles == null ? List.of() : configFiles);
  }

  Attester attester() {
    EvidenceType type = type();
    if (type == EvidenceType.SAMPLE) {
      return sample();
    }
    ConfigfsTsmAttester tsm =
        new ConfigfsTsmAttester(
            tsmRoot != null ? tsmRoot : ConfigfsTsmAttester.KERNEL_ROOT,
            "sentry-keycache-" + ProcessHandle.current().pid(),
            Duration.ofSeconds(10));
    if (type == EvidenceType.TDX) {
      return tsm;
    }
    if (vcek == null) {
      throw new UsageException(
          "--evidence snp needs --vcek FILE: the verifier checks the report against it");
    }
    Octets certificate = Octets.of(BoundedFiles.read(vcek, BoundedFiles.MAX_PEM_BYTES, "VCEK"));
    return (nonce, jwk) -> {
      Evidence report = tsm.evidence(nonce, jwk);
      return new Evidence(report.type(), report.report(), certificate);
    };
  }
}
