package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;

/** The JDK-only fast path reads exactly what the full parser reads, and defers everything else. */
class PublicKeyPemTest {
  @TempDir Path dir;

  @Test
  void plainKeysOfEveryCurveEqualTheFullParsersResult() {
    for (EcCurve curve : EcCurve.values()) {
      Path folder = dir.resolve(curve.name());
      KeyPairWriter.generateInto(curve, folder, false);
      Path file = folder.resolve(KeyPairWriter.PUBLIC_KEY_FILE);
      assertArrayEquals(
          PemFiles.readPublicKey(file).getEncoded(),
          PublicKeyPem.read(file).getEncoded(),
          curve.name());
    }
  }

  @Test
  void unusualFilesFallBackToThePreciseErrors() throws Exception {
    KeyPairWriter.generateInto(EcCurve.P256, dir, false);
    Path privateKey = dir.resolve(KeyPairWriter.PRIVATE_KEY_FILE);
    SentryException e = assertThrows(SentryException.class, () -> PublicKeyPem.read(privateKey));
    assertInstanceOf(MalformedInputException.class, e);
    Path truncated =
        Files.writeString(
            dir.resolve("truncated.pem"),
            "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n");
    assertInstanceOf(
        MalformedInputException.class,
        assertThrows(SentryException.class, () -> PublicKeyPem.read(truncated)));
    assertEquals(
        PathException.Kind.NOT_FOUND,
        assertInstanceOf(
                PathException.class,
                assertThrows(
                    SentryException.class, () -> PublicKeyPem.read(dir.resolve("absent.pem"))))
            .kind());
  }

  @Test
  void blockIndentedBeforeItsBeginLineIsRefusedLikeTheFullParserRefusesIt() throws Exception {
    // Found by PemFilesFuzzTest: the fast path accepted a leading space the full parser refuses.
    KeyPairWriter.generateInto(EcCurve.P256, dir, false);
    String pem = Files.readString(dir.resolve(KeyPairWriter.PUBLIC_KEY_FILE));
    Path indented = Files.writeString(dir.resolve("indented.pem"), " " + pem);
    assertThrows(SentryException.class, () -> PemFiles.readPublicKey(indented));
    assertThrows(SentryException.class, () -> PublicKeyPem.read(indented));
    Path blankLinesFirst = Files.writeString(dir.resolve("blank.pem"), "\n\n" + pem);
    assertArrayEquals(
        PemFiles.readPublicKey(blankLinesFirst).getEncoded(),
        PublicKeyPem.read(blankLinesFirst).getEncoded());
  }
}
