package org.sentryml.confidential.broker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.json.StrictJson;

/**
 * Checks an audit log's chain (docs/FORMAT.md, "Audit log"): every line is a JSON object whose
 * {@code seq} counts from 1, whose {@code prev} is the SHA-256 of the line before it (64 zeros on
 * the first), and which ends in a newline. A changed, inserted, deleted or reordered line breaks
 * the chain at the line after it; the last line is covered by nothing after it, so the result gives
 * its hash ({@link Result#head}) to compare with one kept elsewhere. Stateless.
 */
public final class AuditVerifier {
  /** No line is longer: evidence claims are a few KiB. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private AuditVerifier() {}

  /**
   * What an intact log holds.
   *
   * @param lines the number of lines
   * @param head the SHA-256 of the last line ({@link AuditChain#GENESIS} for an empty log)
   */
  public record Result(long lines, String head) {}

  /**
   * Verifies the chain of {@code file}.
   *
   * @throws VerificationFailedException naming the first line that breaks it
   * @throws org.sentryml.core.errors.SentryException the path failures of reading the file
   */
  public static Result verify(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return verify(in, file.toString());
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
  }

  static Result verify(InputStream in, String name) throws IOException {
    String prev = AuditChain.GENESIS;
    long number = 0;
    ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        if (line.size() > 0) {
          throw broken(name, number + 1, "does not end in a newline: it was cut short");
        }
        return new Result(number, prev);
      }
      if (b != '\n') {
        if (line.size() >= MAX_LINE_BYTES) {
          throw broken(name, number + 1, "is longer than " + MAX_LINE_BYTES + " bytes");
        }
        line.write(b);
        continue;
      }
      number++;
      byte[] bytes = line.toByteArray();
      line.reset();
      check(name, number, bytes, prev);
      prev = AuditChain.hash(bytes, bytes.length);
    }
  }

  private static void check(String name, long number, byte[] bytes, String prev) {
    JsonObject json;
    try {
      json = StrictJson.parseObject(bytes, "audit line");
    } catch (MalformedInputException e) {
      throw broken(name, number, "is not a JSON object: " + e.getMessage());
    }
    JsonElement seq = json.get("seq");
    if (seq == null || StrictJson.canonicalUnsigned(seq).orElse(-1) != number) {
      throw broken(name, number, "has seq " + seq + ", expected " + number);
    }
    JsonElement linked = json.get("prev");
    if (linked == null
        || !linked.isJsonPrimitive()
        || !linked.getAsJsonPrimitive().isString()
        || !MessageDigest.isEqual(
            linked.getAsString().getBytes(StandardCharsets.US_ASCII),
            prev.getBytes(StandardCharsets.US_ASCII))) {
      throw broken(
          name,
          number,
          "has prev "
              + linked
              + ", but the line before it hashes to "
              + prev
              + ": a line before it was changed, removed or inserted");
    }
    for (String member : new String[] {"time", "event", "decision"}) {
      JsonElement value = json.get(member);
      if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
        throw broken(name, number, "has no string '" + member + "'");
      }
    }
  }

  private static VerificationFailedException broken(String name, long number, String why) {
    return new VerificationFailedException(
        String.format(Locale.ROOT, "audit log %s: line %d %s", name, number, why));
  }
}
