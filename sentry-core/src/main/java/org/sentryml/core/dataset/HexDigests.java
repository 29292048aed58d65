package org.sentryml.core.dataset;

import java.util.HexFormat;
import org.sentryml.core.tree.LtHash16;

/** Hex spelling of lattice digests for manifests and reports. */
final class HexDigests {
  private HexDigests() {}

  static String of(LtHash16 lattice) {
    return HexFormat.of().formatHex(lattice.digest());
  }
}
