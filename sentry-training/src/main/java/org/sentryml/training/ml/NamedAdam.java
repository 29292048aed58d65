package org.sentryml.training.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sentryml.core.errors.MalformedInputException;

/**
 * Adam (β1 0.9, β2 0.999, ε 1e-8, no weight decay) whose state is keyed by parameter name, so it
 * can be saved into a checkpoint and restored in another process. DJL's optimizers key their state
 * by parameter ids that are random per process, which no checkpoint can carry. The update is
 * written out in NDArray operations, in place on each weight and its moments. Not thread-safe.
 */
public final class NamedAdam {
  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-8f;

  private final float learningRate;
  private final Map<String, NDArray> means = new LinkedHashMap<>();
  private final Map<String, NDArray> variances = new LinkedHashMap<>();
  private long steps;

  public NamedAdam(float learningRate) {
    this.learningRate = learningRate;
  }

  /** Updates every parameter that has a gradient, then clears its gradient. */
  void step(Map<String, Parameter> parameters) {
    steps++;
    double coef1 = 1.0 - Math.pow(BETA1, (double) steps);
    double coef2 = 1.0 - Math.pow(BETA2, (double) steps);
    float biasCorrection = (float) Math.sqrt(coef2) / (float) coef1;
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      if (!entry.getValue().requiresGradient()) {
        continue;
      }
      NDArray weight = entry.getValue().getArray();
      NDArray mean = means.computeIfAbsent(entry.getKey(), k -> weight.zerosLike());
      NDArray variance = variances.computeIfAbsent(entry.getKey(), k -> weight.zerosLike());
      try (NDArray gradient = weight.getGradient()) {
        update(weight, gradient, mean, variance, biasCorrection);
      }
    }
  }

  /**
   * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε), all in
   * place; then the gradient is cleared for the next step's backward pass.
   */
  private void update(
      NDArray weight, NDArray gradient, NDArray mean, NDArray variance, float biasCorrection) {
    try (NDArray scaled = gradient.mul(1f - BETA1)) {
      mean.muli(BETA1).addi(scaled);
    }
    try (NDArray squared = gradient.square()) {
      variance.muli(BETA2).addi(squared.muli(1f - BETA2));
    }
    try (NDArray root = variance.sqrt();
        NDArray step = mean.div(root.addi(EPSILON))) {
      weight.subi(step.muli(learningRate * biasCorrection));
    }
    gradient.muli(0f);
  }

  /** Steps taken: the t of Adam's bias correction. */
  public long steps() {
    return steps;
  }

  /** The moments by name ({@code mean/<parameter>}, {@code variance/<parameter>}). */
  Map<String, NamedTensors.Tensor> state() {
    Map<String, NamedTensors.Tensor> state = new LinkedHashMap<>();
    means.forEach((name, array) -> state.put("mean/" + name, ModelTensors.of(array, name)));
    variances.forEach((name, array) -> state.put("variance/" + name, ModelTensors.of(array, name)));
    return state;
  }

  /**
   * Replaces the state with a saved one, after {@code steps} steps; each moment must fit its
   * parameter's shape.
   */
  void restore(
      long savedSteps, Map<String, NamedTensors.Tensor> state, Map<String, Parameter> parameters) {
    if (savedSteps < 0) {
      throw new MalformedInputException("optimizer state after " + savedSteps + " steps");
    }
    means.values().forEach(NDArray::close);
    variances.values().forEach(NDArray::close);
    means.clear();
    variances.clear();
    for (Map.Entry<String, NamedTensors.Tensor> entry : state.entrySet()) {
      String key = entry.getKey();
      int slash = key.indexOf('/');
      String kind = slash < 0 ? "" : key.substring(0, slash);
      String name = key.substring(slash + 1);
      Parameter parameter = parameters.get(name);
      Map<String, NDArray> target =
          switch (kind) {
            case "mean" -> means;
            case "variance" -> variances;
            default -> null;
          };
      if (target == null || parameter == null) {
        throw new MalformedInputException(
            "the optimizer state holds " + key + ", which this network has no place for");
      }
      NDArray array = parameter.getArray().zerosLike();
      target.put(name, array);
      ModelTensors.setInto(array, entry.getValue(), key);
    }
    if (!means.keySet().equals(variances.keySet())) {
      throw new MalformedInputException(
          "the optimizer state's means and variances differ in names");
    }
    steps = savedSteps;
  }
}
