package org.sentryml.confidential.encryption.keys;

import java.time.Instant;
import java.util.Optional;
import org.sentryml.confidential.encryption.KeyId;

/**
 * What may be said of a data key without its material: its id, when it was created and last
 * rotated, and how many keys its keyset holds (one, plus one per rotation). These fields sit in
 * clear in the key file and are informative: only the keyset itself is authenticated.
 *
 * @param rotated empty until the first rotation
 * @param keys keys in the keyset; the newest is the primary, the others still decrypt
 */
public record KeyInfo(KeyId id, Instant created, Optional<Instant> rotated, int keys) {}
