package org.sentryml.confidential.encryption;

import com.google.crypto.tink.StreamingAead;
import org.sentryml.core.errors.SentryException;

/**
 * Where data keys come from: a key id in, the key's streaming-AEAD primitive out. The local key
 * store implements it ({@code keys.KeyStore}), and so will a key-server client; code that encrypts
 * or decrypts artifacts takes a {@code DataKeys} and never learns which, nor sees key bytes.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface DataKeys {
  /**
   * The primitive of the data key {@code id}: it decrypts with every key of the keyset and encrypts
   * with the primary.
   *
   * @throws SentryException when there is no such key (a path or verification failure naming where
   *     it was looked for), or it cannot be obtained; never with key material in the message
   */
  StreamingAead streamingAead(KeyId id);
}
