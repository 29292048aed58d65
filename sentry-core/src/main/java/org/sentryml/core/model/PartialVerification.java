package org.sentryml.core.model;

import java.util.List;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.ManifestDiff;

/**
 * The outcome of verifying only some resources of a model: the signature and the whole signed
 * manifest were checked, then only {@code checked} were read and hashed.
 *
 * @param checked the signed resources that were hashed and compared, in canonical order
 * @param notChecked how many signed resources were neither read nor hashed
 * @param diff differences among the selected resources only
 */
public record PartialVerification(
    Manifest expected, List<String> checked, int notChecked, ManifestDiff diff) {
  public PartialVerification {
    checked = List.copyOf(checked);
  }

  public boolean ok() {
    return diff.isEmpty();
  }
}
