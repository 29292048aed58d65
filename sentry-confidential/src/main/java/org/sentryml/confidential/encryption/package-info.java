/**
 * Models and datasets encrypted at rest (DESIGN §8): every file a Tink streaming-AEAD ciphertext
 * bound to its artifact, version and path, a clear-text header per folder, and data keysets kept
 * encrypted under a master key. Plaintext exists only in memory.
 */
package org.sentryml.confidential.encryption;
