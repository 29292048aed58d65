package org.sentryml.clisupport;

import org.sentryml.core.signing.StatementVerifier;

/**
 * A command whose METHOD subcommands choose how signatures are checked: {@code sentry verify} and
 * {@code sentry-inferencer}.
 */
public interface VerifyingHost {
  /** Runs the command's work, checking signatures with {@code verifier}; returns the exit code. */
  int verify(StatementVerifier verifier);
}
