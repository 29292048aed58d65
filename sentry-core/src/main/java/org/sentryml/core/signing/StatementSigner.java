package org.sentryml.core.signing;

/** Turns the bytes of an in-toto statement into the contents of a signature file. */
public interface StatementSigner {
  /** The signature file's contents (a Sigstore bundle, or the bare statement when unsigned). */
  byte[] sign(byte[] statement);
}
