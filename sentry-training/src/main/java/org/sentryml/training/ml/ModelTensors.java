package org.sentryml.training.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.sentryml.core.errors.MalformedInputException;

/** Moves tensors between DJL arrays and {@link NamedTensors}, in place. Stateless. */
final class ModelTensors {
  private ModelTensors() {}

  static NamedTensors.Tensor of(NDArray array, String name) {
    if (array.getDataType() != DataType.FLOAT32) {
      throw new IllegalStateException(name + " is " + array.getDataType() + ", not float32");
    }
    return new NamedTensors.Tensor(array.getShape().getShape(), array.toFloatArray());
  }

  /**
   * Overwrites {@code array}'s elements with {@code tensor}'s in place: the array object stays the
   * one the trainer's parameter store holds, so training continues on the restored values.
   */
  static void setInto(NDArray array, NamedTensors.Tensor tensor, String name) {
    if (!Arrays.equals(array.getShape().getShape(), tensor.shape())) {
      throw new MalformedInputException(
          name
              + " has shape "
              + Arrays.toString(tensor.shape())
              + ", the network's is "
              + array.getShape());
    }
    array.set(FloatBuffer.wrap(tensor.values()));
  }
}
