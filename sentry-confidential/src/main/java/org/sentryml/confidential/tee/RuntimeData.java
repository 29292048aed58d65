package org.sentryml.confidential.tee;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.json.StrictJson;

/**
 * The report data that binds evidence to one KBS attestation: the hash of the protocol's {@code
 * runtime-data} object, {@code {"nonce": <the challenge's nonce>, "tee-pubkey": <the TEE's
 * ephemeral public key as a JWK>}} (KBS attestation protocol, "Attestation" payload: "the hash of
 * this data is bound to HW-TEE evidence").
 *
 * <p>The hash is SHA-384 over the object's canonical JSON: members sorted by name at every level,
 * no whitespace, strings with only {@code "}, {@code \} and control characters escaped (control
 * characters as {@code \b \f \n \r \t} or a six-character {@code u00xx} escape) — the form and hash
 * Trustee's attestation service computes for structured runtime data. The JWK carries exactly the
 * members of the protocol's key format: {@code kty}, {@code alg} and {@code n}, {@code e} (RSA) or
 * {@code crv}, {@code x}, {@code y} (EC), all strings; anything else is refused, since a member the
 * protocol does not define would be hashed by one side and dropped by the other. The 48-byte hash
 * is zero-padded to a 64-byte report data field (TDX, SGX, SNP, sample) and cut to its first 32
 * bytes for NVIDIA's 32-byte SPDM nonce. Documented in docs/FORMAT.md. Stateless and thread-safe.
 */
public final class RuntimeData {
  /** The hash's output length in bytes. */
  public static final int HASH_BYTES = 48;

  private static final Map<String, List<String>> JWK_MEMBERS =
      Map.of(
          "EC", List.of("alg", "crv", "kty", "x", "y"),
          "RSA", List.of("alg", "e", "kty", "n"));

  private RuntimeData() {}

  /**
   * The report data that evidence for {@code nonce} and {@code teePubkeyJwk} must carry.
   *
   * @param teePubkeyJwk the ephemeral public key as JWK text (RFC 7517) in the protocol's key
   *     format
   * @param length the evidence's report data length: 64, or 32 for NVIDIA
   * @throws MalformedInputException when the JWK is not JSON or not in the protocol's key format
   */
  public static Octets reportData(String nonce, String teePubkeyJwk, int length) {
    if (length != 64 && length != 32) {
      throw new IllegalArgumentException("report data is 64 or 32 bytes, not " + length);
    }
    byte[] hash = sha384(canonicalJson(nonce, teePubkeyJwk));
    return Octets.of(Arrays.copyOf(hash, length));
  }

  /** The canonical JSON of the runtime-data object, as hashed (UTF-8). */
  static byte[] canonicalJson(String nonce, String teePubkeyJwk) {
    Objects.requireNonNull(nonce, "nonce");
    Map<String, String> jwk = jwkMembers(StrictJson.parseObject(teePubkeyJwk, "tee-pubkey JWK"));
    StringBuilder json = new StringBuilder("{\"nonce\":");
    appendString(json, nonce);
    json.append(",\"tee-pubkey\":{");
    boolean first = true;
    for (Map.Entry<String, String> member : jwk.entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      appendString(json, member.getKey());
      json.append(':');
      appendString(json, member.getValue());
    }
    return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The JWK's members in canonical order, after checking it has exactly the protocol's ones. */
  private static Map<String, String> jwkMembers(JsonObject jwk) {
    JsonElement kty = jwk.get("kty");
    String type =
        kty != null && kty.isJsonPrimitive() && kty.getAsJsonPrimitive().isString()
            ? kty.getAsString()
            : null;
    List<String> wanted = type == null ? null : JWK_MEMBERS.get(type);
    if (wanted == null) {
      throw new MalformedInputException(
          "tee-pubkey JWK: member 'kty' must be \"EC\" or \"RSA\", not " + kty);
    }
    Map<String, String> members = new TreeMap<>();
    for (Map.Entry<String, JsonElement> member : jwk.entrySet()) {
      String name = member.getKey();
      JsonElement value = member.getValue();
      if (!wanted.contains(name)) {
        throw new MalformedInputException(
            String.format(
                Locale.ROOT,
                "tee-pubkey JWK: member '%s' is not in the KBS protocol's %s key format %s",
                name,
                type,
                wanted));
      }
      if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
        throw new MalformedInputException("tee-pubkey JWK: member '" + name + "' must be a string");
      }
      members.put(name, value.getAsString());
    }
    if (members.size() != wanted.size()) {
      List<String> missing = wanted.stream().filter(name -> !members.containsKey(name)).toList();
      throw new MalformedInputException(
          "tee-pubkey JWK: " + type + " key lacks members " + missing);
    }
    return members;
  }

  private static void appendString(StringBuilder json, String text) {
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
      throw new MalformedInputException(
          "runtime data: a string holds an unpaired UTF-16 surrogate, which has no UTF-8 form to hash");
    }
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static byte[] sha384(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-384 is mandatory in every Java runtime", e);
    }
  }
}
