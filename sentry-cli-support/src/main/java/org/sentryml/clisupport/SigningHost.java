package org.sentryml.clisupport;

import org.sentryml.core.signing.StatementSigner;

/**
 * A command whose METHOD subcommands ({@code private-key}, {@code pki}, {@code sigstore}, {@code
 * skip}) choose how it signs: {@code sentry sign} and {@code sentry-trainer}.
 */
public interface SigningHost {
  /** Runs the command's work, signing with {@code signer}; returns the exit code. */
  int sign(StatementSigner signer, String methodName);
}
