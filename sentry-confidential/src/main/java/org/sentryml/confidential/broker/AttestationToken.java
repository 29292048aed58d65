package org.sentryml.confidential.broker;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * The attestation results token of {@code /kbs/v0/attest}: a JWT (ES256) with the protocol's
 * registered claims ({@code exp}, {@code iat}, {@code iss}, {@code jwk}: the key that signed it),
 * {@code jti}, {@code tee-pubkey}, {@code tcb-status} (the verified claims) and {@code
 * evaluation-report}. The signing key is made when the server starts and never stored, so tokens
 * die with the process. A resource request may present the token as a bearer instead of the cookie.
 * Thread-safe.
 */
final class AttestationToken {
  private final ECKey key;
  private final String issuer;

  AttestationToken(String issuer) {
    this.issuer = issuer;
    try {
      this.key = new ECKeyGenerator(Curve.P_256).keyID("sentry-keyserver").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the token signing key", e);
    }
  }

  String issue(
      String tokenId,
      Instant issued,
      Instant expires,
      String teePubkeyJwk,
      Map<String, Object> tcbStatus,
      String evaluation) {
    try {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer(issuer)
              .issueTime(Date.from(issued))
              .expirationTime(Date.from(expires))
              .jwtID(tokenId)
              .claim("jwk", key.toPublicJWK().toJSONObject())
              .claim("tee-pubkey", JSONObjectUtils.parse(teePubkeyJwk))
              .claim("tcb-status", tcbStatus)
              .claim("evaluation-report", evaluation)
              .build();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException | ParseException e) {
      throw new IllegalStateException("cannot sign an attestation token", e);
    }
  }

  /**
   * The token id of {@code token}, if this server signed it and it has not expired at {@code now}.
   */
  Optional<String> verify(String token, Instant now) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new ECDSAVerifier(key.toPublicJWK()))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expires = claims.getExpirationTime();
      if (expires == null
          || !now.isBefore(expires.toInstant())
          || !issuer.equals(claims.getIssuer())) {
        return Optional.empty();
      }
      return Optional.ofNullable(claims.getJWTID());
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }
}
