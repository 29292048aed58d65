package org.sentryml.confidential.broker;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.tee.Claims;
import org.sentryml.confidential.tee.EvidenceType;

/**
 * One client's attestation session: challenged (a nonce issued, not yet used), then attested (the
 * verified claims and the TEE's key, until it expires). Bound to the client certificate that opened
 * it. The nonce is used by at most one attestation, won by whoever takes it first.
 */
final class Session {
  final String id;
  final String tag;
  final String clientFingerprint;
  final EvidenceType tee;
  final String nonce;
  private final AtomicBoolean nonceUsed = new AtomicBoolean();
  private volatile Instant expires;
  private volatile @Nullable Attested attested;

  /** What a successful attestation established. */
  record Attested(Claims claims, ECKey teeKey, String tokenId) {}

  Session(
      String id,
      String tag,
      String clientFingerprint,
      EvidenceType tee,
      String nonce,
      Instant expires) {
    this.id = id;
    this.tag = tag;
    this.clientFingerprint = clientFingerprint;
    this.tee = tee;
    this.nonce = nonce;
    this.expires = expires;
  }

  /** Takes the nonce; false when an attestation took it before. */
  boolean takeNonce() {
    return nonceUsed.compareAndSet(false, true);
  }

  boolean expiredAt(Instant now) {
    return !now.isBefore(expires);
  }

  Instant expires() {
    return expires;
  }

  void attested(Attested result, Instant until) {
    this.attested = result;
    this.expires = until;
  }

  @Nullable Attested attested() {
    return attested;
  }
}
