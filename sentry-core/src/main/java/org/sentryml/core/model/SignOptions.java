package org.sentryml.core.model;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Models#sign(ModelPlan, org.sentryml.core.signing.StatementSigner, Path, boolean,
 * org.sentryml.core.engine.OnDemandEngine, SignOptions)} does besides signing.
 *
 * @param leaves where to write the leaf sidecar, or null for none
 * @param reuse an earlier signature of this model whose digests may be reused, or null
 * @param changed the files known to have changed since {@code reuse} (re-hashed), or null to let
 *     the stat cache decide
 */
public record SignOptions(
    @Nullable Path leaves, @Nullable Path reuse, @Nullable List<String> changed) {
  public SignOptions {
    changed = changed == null ? null : List.copyOf(changed);
  }

  public static SignOptions none() {
    return new SignOptions(null, null, null);
  }
}
