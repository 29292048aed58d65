package org.sentryml.confidential.broker;

import com.google.crypto.tink.KeysetHandle;
import org.sentryml.confidential.encryption.KeyId;

/**
 * Where a key server finds the keysets it releases: the owner's key store ({@code
 * KeyStore::keyset}), read afresh on each request so that keys created while the server runs are
 * served, and nothing is cached in the server.
 */
@FunctionalInterface
public interface KeysetSource {
  /**
   * The keyset of data key {@code id}.
   *
   * @throws org.sentryml.core.errors.PathException (not found) when there is no such key
   */
  KeysetHandle keyset(KeyId id);
}
