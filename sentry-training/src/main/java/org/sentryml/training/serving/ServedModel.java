package org.sentryml.training.serving;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sentryml.core.attestation.ProvenanceCodec;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.ClassifierSpec;

/**
 * A model that verified, built in memory from the very bytes that were checked, with what {@code
 * GET /v1/model} reports about it. Only the micro-batcher's thread calls {@link #predict}; the
 * descriptive accessors are safe from any thread. Close it to free the network's native memory.
 *
 * @param root the signed manifest's root digest, hex
 * @param signer what verified the signature ({@code StatementVerifier.describe()})
 * @param provenance the verified provenance bound to this root, when the signature folder holds one
 */
public record ServedModel(
    Path modelDir,
    String root,
    String signer,
    Optional<ProvenanceCodec.Provenance> provenance,
    Instant verifiedAt,
    ClassifierSession session)
    implements AutoCloseable {

  public ClassifierSpec spec() {
    return session.spec();
  }

  /** One forward pass over {@code batch}; not thread-safe (the session is not). */
  public List<Prediction> predict(List<ServingInput> batch) {
    float[][] rows;
    if (batch.stream().allMatch(ServingInput::decoded)) {
      int size = spec().channels() * spec().height() * spec().width();
      float[] pixels = new float[size * batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        if (batch.get(i).pixelCount() != size) {
          throw new MalformedInputException(
              "an input was decoded for another model than the one now served");
        }
        batch.get(i).copyPixels(pixels, i * size);
      }
      rows = session.probabilitiesOfPixels(pixels, batch.size());
    } else {
      rows = session.probabilities(batch.stream().map(ServingInput::sample).toList());
    }
    List<Prediction> predictions = new ArrayList<>(rows.length);
    for (float[] row : rows) {
      predictions.add(new Prediction(row));
    }
    return predictions;
  }

  @Override
  public void close() {
    session.close();
  }
}
