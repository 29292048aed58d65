package org.sentryml.confidential.tee;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The AMD EPYC product lines whose SEV-SNP keys Sentry trusts, each with its pinned ARK (root), its
 * ASK (which signs VCEKs) and ASVK (which signs VLEKs), shipped in {@code roots/} as AMD's KDS
 * publishes them, and the layout of its TCB_VERSION fields, which changed with Turin.
 */
@SuppressWarnings("ImmutableEnumChecker") // certificates and pinned roots have no mutators
enum SnpProductLine {
  MILAN(
      "Milan",
      "milan_ask_ark_asvk.pem",
      "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd",
      false),
  GENOA(
      "Genoa",
      "genoa_ask_ark_asvk.pem",
      "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",
      false),
  TURIN(
      "Turin",
      "turin_ask_ark_asvk.pem",
      "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a",
      true);

  private final String displayName;
  private final PinnedRoot ark;
  private final X509Certificate ask;
  private final X509Certificate asvk;
  private final boolean turinTcbLayout;

  SnpProductLine(String displayName, String resource, String arkSha256, boolean turinTcbLayout) {
    this.displayName = displayName;
    List<X509Certificate> certificates = PinnedRoot.resource(resource);
    this.ark =
        PinnedRoot.pin(
            bySubject(certificates, "ARK-" + displayName), "AMD ARK-" + displayName, arkSha256);
    this.ask = bySubject(certificates, "SEV-" + displayName);
    this.asvk = bySubject(certificates, "SEV-VLEK-" + displayName);
    this.turinTcbLayout = turinTcbLayout;
  }

  /** The line's name as AMD spells it ("Milan"), and as VCEKs start their product name. */
  String displayName() {
    return displayName;
  }

  PinnedRoot ark() {
    return ark;
  }

  /** The key that signs the certificates of {@code kind}: the ASK for VCEKs, the ASVK for VLEKs. */
  X509Certificate issuerOf(SnpSigningKey kind) {
    return kind == SnpSigningKey.VCEK ? ask : asvk;
  }

  /** Whether {@code certificate} is one of this line's AMD certificates. */
  boolean isAmdCertificate(X509Certificate certificate) {
    Octets fingerprint = Certificates.fingerprint(certificate);
    return ark.is(certificate)
        || Certificates.fingerprint(ask).matches(fingerprint)
        || Certificates.fingerprint(asvk).matches(fingerprint);
  }

  /**
   * The components of a TCB_VERSION, by name. Milan and Genoa: BOOT_LOADER, TEE, SNP, MICROCODE in
   * bytes 0, 1, 6, 7; Turin: FMC, BOOT_LOADER, TEE, SNP, MICROCODE in bytes 0, 1, 2, 3, 7.
   */
  SequencedMap<String, Long> tcbComponents(long tcbVersion) {
    SequencedMap<String, Long> components = new LinkedHashMap<>();
    if (turinTcbLayout) {
      components.put("fmc", byteAt(tcbVersion, 0));
      components.put("bootloader", byteAt(tcbVersion, 1));
      components.put("tee", byteAt(tcbVersion, 2));
      components.put("snp", byteAt(tcbVersion, 3));
    } else {
      components.put("bootloader", byteAt(tcbVersion, 0));
      components.put("tee", byteAt(tcbVersion, 1));
      components.put("snp", byteAt(tcbVersion, 6));
    }
    components.put("microcode", byteAt(tcbVersion, 7));
    return components;
  }

  private static long byteAt(long value, int index) {
    return (value >>> (8 * index)) & 0xff;
  }

  private static X509Certificate bySubject(List<X509Certificate> certificates, String commonName) {
    for (X509Certificate certificate : certificates) {
      try {
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue().equals(commonName)) {
            return certificate;
          }
        }
      } catch (InvalidNameException e) {
        throw new IllegalStateException("a shipped AMD certificate has an unreadable subject", e);
      }
    }
    throw new IllegalStateException("the shipped AMD certificates lack " + commonName);
  }
}
