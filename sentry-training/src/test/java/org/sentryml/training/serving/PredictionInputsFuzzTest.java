package org.sentryml.training.serving;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.training.ml.ClassifierSpec;

/**
 * Any bytes as a prediction request body, under every shape, for an image and a text model: each is
 * parsed into inputs or refused with a MalformedInputException (400) or a TooManyInputsException
 * (413); nothing else may escape the parser a server exposes.
 */
class PredictionInputsFuzzTest {
  private static final List<ClassifierSpec> SPECS =
      List.of(ClassifierSpec.image(1, 28, 28, 10), ClassifierSpec.text(12, 16, 2));

  @FuzzTest
  void anyBodyIsParsedOrRefused(byte[] body) {
    for (ClassifierSpec spec : SPECS) {
      for (PredictionInputs.Shape shape : PredictionInputs.Shape.values()) {
        try {
          List<ServingInput> inputs = PredictionInputs.parse(shape, body, spec, 4);
          if (inputs.isEmpty() || inputs.size() > 4) {
            throw new AssertionError(inputs.size() + " inputs from one body");
          }
        } catch (MalformedInputException | PredictionInputs.TooManyInputsException expected) {
          // refused with a reason
        }
      }
    }
  }
}
