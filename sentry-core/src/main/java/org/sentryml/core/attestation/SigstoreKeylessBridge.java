package org.sentryml.core.attestation;

import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.bundle.Bundle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls {@link KeylessVerifier#verify(byte[], Bundle, dev.sigstore.VerificationOptions)} with empty
 * options, reflectively.
 *
 * <p>Why reflection: {@code dev.sigstore.VerificationOptions} is annotated with Immutables
 * annotations that sigstore-java does not ship, and naming the type in source makes javac warn
 * ({@code [classfile]}, not suppressible), which this build treats as an error. The identity policy
 * that the options would carry is checked by {@link KeylessIdentity} instead.
 */
final class SigstoreKeylessBridge {
  private static final Method VERIFY;
  private static final Object EMPTY_OPTIONS;

  static {
    try {
      Class<?> options = Class.forName("dev.sigstore.VerificationOptions");
      EMPTY_OPTIONS = options.getMethod("empty").invoke(null);
      VERIFY = KeylessVerifier.class.getMethod("verify", byte[].class, Bundle.class, options);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private SigstoreKeylessBridge() {}

  /** Runs every check of {@code verifier} except identity matching. */
  static void verify(KeylessVerifier verifier, byte[] artifactDigest, Bundle bundle)
      throws KeylessVerificationException {
    try {
      VERIFY.invoke(verifier, artifactDigest, bundle, EMPTY_OPTIONS);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof KeylessVerificationException failure) {
        throw failure;
      }
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("sigstore-java verify failed unexpectedly", cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("sigstore-java verify is not accessible", e);
    }
  }
}
