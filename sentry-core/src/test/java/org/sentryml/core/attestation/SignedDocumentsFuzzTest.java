package org.sentryml.core.attestation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.manifest.Manifest;

/**
 * Any bytes as a signature file or a signed statement: each parser either returns a value or
 * refuses with a {@link SentryException} (the documented failure of every parser here); any other
 * throwable is a finding. What is accepted must also be self-consistent.
 */
class SignedDocumentsFuzzTest {
  @FuzzTest
  void bundleIsParsedOrRefused(byte[] input) {
    try {
      SigstoreBundle bundle = BundleReader.read(new String(input, StandardCharsets.UTF_8));
      if (bundle.envelope().payload().length == 0) {
        throw new AssertionError("accepted a bundle with an empty payload");
      }
    } catch (SentryException expected) {
      // refused, with a message naming the field
    }
  }

  @FuzzTest
  void modelStatementIsDecodedOrRefused(byte[] input) {
    Manifest manifest;
    try {
      manifest = StatementCodec.decode(input, List.of());
    } catch (SentryException expected) {
      return;
    }
    // A decoded manifest must be exactly what its encoding says: decode ∘ encode is the identity.
    Manifest again = StatementCodec.decode(StatementCodec.encode(manifest), List.of());
    if (!again.equals(manifest)) {
      throw new AssertionError("decoding is not stable: " + manifest + " became " + again);
    }
  }

  @FuzzTest
  void inTotoStatementIsParsedOrRefused(byte[] input) {
    try {
      StatementParser.parse(input);
    } catch (SentryException expected) {
      // refused
    }
  }

  @FuzzTest
  void datasetStatementIsDecodedOrRefused(byte[] input) {
    try {
      DatasetStatementCodec.decode(input, "fuzz.sig");
    } catch (SentryException expected) {
      // refused
    }
  }

  @FuzzTest
  void provenanceIsDecodedOrRefused(byte[] input) {
    try {
      ProvenanceCodec.decode(input, "fuzz.sig");
    } catch (SentryException expected) {
      // refused
    }
  }
}
