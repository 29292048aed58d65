package org.sentryml.core.signing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentryml.core.io.BoundedFiles;

/**
 * Reads a public-key PEM file for verification. The common case — one well-formed {@code PUBLIC
 * KEY} block holding a supported EC key — is read with the JDK alone: verification needs nothing
 * else, and merely loading {@link PemFiles} pulls in Bouncy Castle's signed jar, whose signature
 * check costs about 150 ms of start-up. Anything else goes to {@link PemFiles#readPublicKey}, which
 * explains precisely what is wrong. This class must not reference Bouncy Castle types.
 */
public final class PublicKeyPem {
  private static final Pattern SINGLE_BLOCK =
      // Nothing before the BEGIN line: the full reader skips only whole lines before it, so a
      // block indented by a space (found by PemFilesFuzzTest) must not be accepted here either.
      Pattern.compile(
          "-----BEGIN PUBLIC KEY-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+)-----END PUBLIC KEY-----\\s*");

  private PublicKeyPem() {}

  public static PublicKey read(Path file) {
    PublicKey key = plain(file);
    return key != null ? key : PemFiles.readPublicKey(file);
  }

  private static PublicKey plain(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > BoundedFiles.MAX_PEM_BYTES) {
        return null;
      }
      Matcher matcher = SINGLE_BLOCK.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
      if (!matcher.matches()) {
        return null;
      }
      byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
      // Re-encoding must give the same bytes: no trailing data, nothing the JDK silently dropped.
      return EcCurve.find(key).isPresent() && MessageDigest.isEqual(key.getEncoded(), der)
          ? key
          : null;
    } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
      return null;
    }
  }
}
