package org.sentryml.core.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.UsageException;
import org.sentryml.testkit.TestFiles;

class KeyPairWriterTest {
  private static final byte[] MESSAGE = {9, 8, 7};

  @TempDir Path dir;

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  @ParameterizedTest
  @EnumSource(EcCurve.class)
  void writtenKeysLoadBackAndSignTogether(EcCurve curve) {
    KeyPairWriter.KeyPairFiles files =
        KeyPairWriter.generateInto(curve, dir.resolve("keys"), false);
    assertEquals(dir.resolve("keys/private.pem"), files.privateKey());
    assertEquals(dir.resolve("keys/public.pem"), files.publicKey());
    PrivateKey privateKey = PemFiles.readPrivateKey(files.privateKey(), null);
    PublicKey publicKey = PemFiles.readPublicKey(files.publicKey());
    assertEquals(curve, EcCurve.of(publicKey));
    assertTrue(Ecdsa.verify(publicKey, MESSAGE, Ecdsa.sign(privateKey, MESSAGE)));
  }

  @Test
  void privateKeyIsOwnerReadWriteOnlyAndPublicKeyIsReadable() throws Exception {
    assumeTrue(posix(dir));
    KeyPairWriter.KeyPairFiles files = KeyPairWriter.generateInto(EcCurve.P256, dir, false);
    assertEquals(
        PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(files.privateKey()));
    Set<PosixFilePermission> publicPermissions = Files.getPosixFilePermissions(files.publicKey());
    assertTrue(publicPermissions.contains(PosixFilePermission.OWNER_READ));
    assertTrue(publicPermissions.contains(PosixFilePermission.OTHERS_READ));
  }

  @Test
  void filesArePemWithTheExpectedLabelsAndNoTemporariesRemain() throws Exception {
    KeyPairWriter.generateInto(EcCurve.P384, dir, false);
    assertTrue(
        Files.readString(dir.resolve("private.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(
        Files.readString(dir.resolve("public.pem")).startsWith("-----BEGIN PUBLIC KEY-----\n"));
    try (Stream<Path> listing = Files.list(dir)) {
      assertEquals(
          List.of("private.pem", "public.pem"),
          listing.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void existingPrivateKeyIsNotOverwrittenWithoutForce() throws Exception {
    byte[] precious = "precious".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Path existing = TestFiles.write(dir.resolve("private.pem"), precious);
    SentryException e =
        assertThrows(
            SentryException.class, () -> KeyPairWriter.generateInto(EcCurve.P256, dir, false));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains(existing.toString()), e.getMessage());
    assertArrayEquals(precious, Files.readAllBytes(existing));
    assertTrue(Files.notExists(dir.resolve("public.pem")), "nothing written");
  }

  @Test
  void existingPublicKeyAloneAlsoStopsTheWrite() {
    TestFiles.write(dir.resolve("public.pem"), new byte[] {1});
    assertInstanceOf(
        UsageException.class,
        assertThrows(
            SentryException.class, () -> KeyPairWriter.generateInto(EcCurve.P256, dir, false)));
    assertTrue(Files.notExists(dir.resolve("private.pem")));
  }

  @Test
  void forceReplacesExistingKeysAndKeepsThePrivateKeyPrivate() throws Exception {
    KeyPairWriter.generateInto(EcCurve.P256, dir, false);
    PublicKey first = PemFiles.readPublicKey(dir.resolve("public.pem"));
    KeyPairWriter.generateInto(EcCurve.P256, dir, true);
    PublicKey second = PemFiles.readPublicKey(dir.resolve("public.pem"));
    assertNotEquals(first, second);
    assertTrue(
        Ecdsa.verify(
            second,
            MESSAGE,
            Ecdsa.sign(PemFiles.readPrivateKey(dir.resolve("private.pem"), null), MESSAGE)));
    if (posix(dir)) {
      assertEquals(
          PosixFilePermissions.fromString("rw-------"),
          Files.getPosixFilePermissions(dir.resolve("private.pem")));
    }
  }

  @Test
  void aFileWhereTheFolderShouldBeIsAUsageError() {
    Path file = TestFiles.write(dir.resolve("keys"), new byte[] {1});
    SentryException e =
        assertThrows(
            SentryException.class, () -> KeyPairWriter.generateInto(EcCurve.P256, file, true));
    assertInstanceOf(UsageException.class, e);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void unwritableFolderIsReportedWithItsPath() throws Exception {
    assumeTrue(posix(dir));
    Path locked =
        Files.createDirectory(
            dir.resolve("locked"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
    assumeTrue(!Files.isWritable(locked), "running as a user who ignores permissions");
    SentryException e =
        assertThrows(
            SentryException.class, () -> KeyPairWriter.generateInto(EcCurve.P256, locked, false));
    assertEquals(
        PathException.Kind.PERMISSION_DENIED,
        assertInstanceOf(PathException.class, e).kind(),
        e.getMessage());
  }
}
