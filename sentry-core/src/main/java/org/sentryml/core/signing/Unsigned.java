package org.sentryml.core.signing;

import java.nio.charset.StandardCharsets;
import org.sentryml.core.errors.MalformedInputException;

/**
 * The {@code skip} method: the signature file is the bare statement, unsigned. Verification then
 * checks digests only, and says so.
 */
public final class Unsigned implements StatementSigner, StatementVerifier {
  @Override
  public byte[] sign(byte[] statement) {
    return statement.clone();
  }

  @Override
  public byte[] verify(byte[] signatureFile) {
    String text = new String(signatureFile, StandardCharsets.UTF_8).stripLeading();
    if (text.contains("\"dsseEnvelope\"")) {
      throw new MalformedInputException(
          "the signature file is a signed bundle; verify it with its method, not skip");
    }
    return signatureFile.clone();
  }

  @Override
  public String describe() {
    return "no signature checked (skip): digests only";
  }
}
