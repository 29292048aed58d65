package org.sentryml.confidential.tee;

/**
 * The key that signed an SNP report, as its SIGNING_KEY field says: the chip's VCEK, or a cloud
 * provider's VLEK, which AMD endorses through a different key (the ASVK).
 */
enum SnpSigningKey {
  VCEK("vcek", "VCEK"),
  VLEK("vlek", "VLEK");

  private final String id;
  private final String displayName;

  SnpSigningKey(String id, String displayName) {
    this.id = id;
    this.displayName = displayName;
  }

  String id() {
    return id;
  }

  String displayName() {
    return displayName;
  }
}
