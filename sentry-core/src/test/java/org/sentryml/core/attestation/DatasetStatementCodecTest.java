package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.tree.LatticeElements;
import org.sentryml.core.tree.LtHash16;

class DatasetStatementCodecTest {
  private static final DatasetOrigin ORIGIN =
      new DatasetOrigin("sentryml/mnist-subset", "main", "ab".repeat(20));

  @Test
  void encodedSourceDecodesToTheSameDigests() {
    List<SplitDigest> splits = List.of(split("train", 5, 1), split("test", 2, 2));
    byte[] statement = DatasetStatementCodec.encode(ORIGIN, "source-03", "source-03.tar", splits);
    DatasetStatementCodec.SignedSource decoded =
        DatasetStatementCodec.decode(statement, "dataset_source-03.sig");
    assertEquals("source-03", decoded.source());
    assertEquals(ORIGIN, decoded.origin());
    assertEquals(2, decoded.splits().size());
    assertEquals("test", decoded.splits().get(0).split(), "splits are in name order");
    assertTrue(decoded.splits().get(1).matches(splits.get(0)));
    assertEquals(DatasetStatementCodec.root(splits), decoded.root());
  }

  @Test
  void subjectThatIsNotTheRootOfTheSplitsIsRejected() {
    String json =
        new String(
            DatasetStatementCodec.encode(
                ORIGIN, "source-00", "source-00.tar", List.of(split("train", 3, 4))),
            StandardCharsets.UTF_8);
    String forged =
        json.replaceFirst("\"sha256\":\"[0-9a-f]{64}\"", "\"sha256\":\"" + "0".repeat(64) + "\"");
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> DatasetStatementCodec.decode(forged.getBytes(StandardCharsets.UTF_8), "x.sig"));
    assertInstanceOf(MalformedInputException.class, e);
    assertTrue(e.getMessage().contains("subject[0].digest"), e.getMessage());
  }

  @Test
  void digestThatIsNotTheHashOfTheChecksumIsRejected() {
    SplitDigest train = split("train", 3, 5);
    String json =
        new String(
            DatasetStatementCodec.encode(ORIGIN, "source-00", "source-00.tar", List.of(train)),
            StandardCharsets.UTF_8);
    String forged =
        json.replace(
            "\"digest\":\"" + train.digest().hex() + "\"", "\"digest\":\"" + "1".repeat(64) + "\"");
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> DatasetStatementCodec.decode(forged.getBytes(StandardCharsets.UTF_8), "x.sig"));
    assertTrue(e.getMessage().contains("BLAKE2b-256"), e.getMessage());
  }

  @Test
  void modelManifestIsNotAcceptedAsADatasetSource() {
    String json =
        new String(
            DatasetStatementCodec.encode(
                ORIGIN, "source-00", "source-00.tar", List.of(split("train", 1, 6))),
            StandardCharsets.UTF_8);
    String other = json.replace(DatasetStatementCodec.PREDICATE, StatementCodec.SENTRY_PREDICATE);
    SentryException e =
        assertThrows(
            SentryException.class,
            () -> DatasetStatementCodec.decode(other.getBytes(StandardCharsets.UTF_8), "x.sig"));
    assertTrue(e.getMessage().contains("predicateType"), e.getMessage());
  }

  static SplitDigest split(String name, int samples, int seed) {
    LtHash16 lattice = new LtHash16();
    for (int i = 0; i < samples; i++) {
      lattice.addExpansion(
          LatticeElements.expandSample(
              LatticeElements.newExpander(),
              new byte[] {(byte) seed},
              new byte[] {(byte) i},
              new byte[0]));
    }
    return new SplitDigest(name, samples, lattice);
  }
}
