package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.Safetensors;

/**
 * Under {@code --workflow inplace} every byte of a signed safetensors file is covered: the header
 * resource binds the layout, the tensors cover the data section end to end, so bytes appended,
 * bytes hidden in gaps or a changed length never verify.
 */
class InplaceCoverageCliTest {
  @TempDir Path dir;
  private Path model;
  private Path keys;

  private static final String TWO_TENSORS =
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
          + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}}";

  @BeforeEach
  void signModel() throws Exception {
    model = Files.createDirectories(dir.resolve("model"));
    byte[] data = new byte[20];
    Arrays.fill(data, (byte) 7);
    Files.write(model.resolve("model.safetensors"), Safetensors.withHeader(TWO_TENSORS, data));
    keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--workflow",
            "inplace",
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, sign.exitCode(), sign.err());
  }

  private CliRun verify() {
    return CliRun.of(
        "verify",
        model.toString(),
        "--device",
        "cpu",
        "private-key",
        "--public_key",
        keys.resolve("public.pem").toString());
  }

  @Test
  void untouchedModelVerifies() {
    CliRun run = verify();
    assertEquals(0, run.exitCode(), run.err());
  }

  @Test
  void byteAppendedAfterTheLastTensorFailsVerification() throws Exception {
    Files.write(model.resolve("model.safetensors"), new byte[] {1}, StandardOpenOption.APPEND);
    CliRun run = verify();
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("trailing bytes belong to no tensor"), run.err());
  }

  @Test
  void truncatedFileFailsVerification() throws Exception {
    Path file = model.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 4));
    CliRun run = verify();
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("ends past the end of the file"), run.err());
  }

  @Test
  void headerRewrittenToLeaveAGapHidingBytesFailsVerification() throws Exception {
    // The same tensor bytes, but b moved 4 bytes later: bytes [8, 12) now belong to no tensor.
    String gapped = TWO_TENSORS.replace("[8,20]", "[12,24]");
    byte[] data = new byte[24];
    Arrays.fill(data, (byte) 7);
    Files.write(model.resolve("model.safetensors"), Safetensors.withHeader(gapped, data));
    CliRun run = verify();
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("belong to no tensor"), run.err());
  }

  @Test
  void fileWithAGapIsRefusedAtSigning() throws Exception {
    Path other = Files.createDirectories(dir.resolve("gapped"));
    Files.write(
        other.resolve("m.safetensors"),
        Safetensors.withHeader(TWO_TENSORS.replace("[8,20]", "[12,24]"), new byte[24]));
    CliRun sign =
        CliRun.of(
            "sign",
            other.toString(),
            "--workflow",
            "inplace",
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(3, sign.exitCode(), sign.err());
    assertTrue(
        sign.err().contains("bytes [8, 12) of the data section belong to no tensor"), sign.err());
    assertTrue(Files.notExists(other.resolve("model.sig")));
  }
}
