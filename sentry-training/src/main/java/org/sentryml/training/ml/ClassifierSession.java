package org.sentryml.training.ml;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.data.dataset.Sample;
import org.sentryml.data.dataset.SampleKind;
import org.sentryml.data.dataset.StreamingLoader;

/**
 * A classifier in memory (cnn-v1 for images, text-v1 with its tokenizer for text), on DJL's API:
 * trained batch by batch ({@link #trainBatch}), used for prediction ({@link #predict}), saved as
 * {@code model.json} + {@code model.params} (+ {@code tokenizer.json}) and rebuilt from the
 * verified bytes of those files ({@link #load}). Runs on the first GPU DJL's engine reports, else
 * the CPU. Not thread-safe; close it to free native memory.
 */
public final class ClassifierSession implements AutoCloseable {
  public static final String PARAMS_FILE = "model.params";

  private final ClassifierSpec spec;
  private final TextFeatures text;
  private final Model model;
  private final Trainer trainer;
  private final Engine engine;
  private final long seed;
  private final NamedAdam optimizer;
  private final Map<String, Parameter> parameters;

  /**
   * Hands the block its parameters' own arrays (no copies), so that the arrays NamedAdam updates
   * and a restore overwrites are the ones the forward pass reads. The Trainer's store would keep
   * copies of its own; the Trainer only sets up the initialisers and the loss.
   */
  private final ParameterStore parameterStore;

  /** The result of one training step. */
  public record StepResult(float loss, int correct, int samples) {}

  /**
   * The training state a checkpoint keeps: the parameters and the optimizer's moments, both by
   * parameter name ({@link NamedTensors} bytes), and the optimizer's step count.
   */
  public record Snapshot(byte[] parameters, byte[] optimizer, long steps) {}

  private ClassifierSession(
      ClassifierSpec spec,
      TextFeatures text,
      Model model,
      Trainer trainer,
      Engine engine,
      TrainingConfig config) {
    this.spec = spec;
    this.text = text;
    this.model = model;
    this.trainer = trainer;
    this.engine = engine;
    this.seed = config.seed();
    this.optimizer = new NamedAdam(config.learningRate());
    this.parameterStore = new ParameterStore(model.getNDManager(), false);
    this.parameters = new LinkedHashMap<>();
    model.getBlock().getParameters().forEach(p -> parameters.put(p.getKey(), p.getValue()));
  }

  /**
   * A freshly initialised network for {@code spec}; {@code config.seed()} seeds the engine for the
   * initial weights, and every training step reseeds it from the seed and the step number.
   *
   * @param text the tokenizer for a text spec (the session owns and closes it); null for images
   */
  public static ClassifierSession create(
      ClassifierSpec spec, TrainingConfig config, @Nullable TextFeatures text) {
    if ((spec.kind() == SampleKind.TEXT) != (text != null)) {
      throw new IllegalArgumentException(
          spec.architecture() + (text == null ? " needs a tokenizer" : " takes no tokenizer"));
    }
    Engine engine = trainingEngine();
    engine.setRandomSeed((int) config.seed());
    Model model = Model.newInstance("sentry-classifier", device(engine), engine.getEngineName());
    model.setBlock(Classifiers.build(spec));
    // Steps go through NamedAdam, not Trainer.step(): DJL's optimizer is configured but never used.
    DefaultTrainingConfig training =
        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optDevices(new Device[] {model.getNDManager().getDevice()});
    Trainer trainer = model.newTrainer(training);
    trainer.initialize(Classifiers.inputShape(spec, 1));
    return new ClassifierSession(spec, text, model, trainer, engine, config);
  }

  /**
   * Rebuilds a saved classifier from the contents of its files, exactly the bytes given (the caller
   * verified them against a signature; nothing is read from disk here).
   *
   * @throws SentryException BAD_INPUT when a file is missing, malformed or does not fit the network
   */
  public static ClassifierSession load(Map<String, ByteBuffer> files) {
    ClassifierSpec spec = ClassifierSpec.fromJson(bytes(files, ClassifierSpec.FILE));
    byte[] params = bytes(files, PARAMS_FILE);
    TextFeatures text =
        spec.kind() == SampleKind.TEXT
            ? TextFeatures.fromJson(bytes(files, TextFeatures.FILE))
            : null;
    ClassifierSession session = create(spec, new TrainingConfig(1, 1, 1e-3f, 0), text);
    // DJL replaces each parameter with whatever array the file holds, whatever its shape; the
    // shapes the architecture expects are therefore taken before loading and compared after.
    Map<String, Shape> expected = shapes(session.model.getBlock());
    try {
      ByteArrayInputStream in = new ByteArrayInputStream(params);
      session
          .model
          .getBlock()
          .loadParameters(session.model.getNDManager(), new DataInputStream(in));
      if (in.available() != 0) {
        throw new MalformedModelException(in.available() + " bytes follow the last parameter");
      }
      Map<String, Shape> loaded = shapes(session.model.getBlock());
      if (!loaded.equals(expected)) {
        throw new MalformedModelException(
            "parameter shapes " + loaded + " differ from the architecture's " + expected);
      }
      return session;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      session.close();
      throw new MalformedInputException(
          PARAMS_FILE
              + " does not fit a "
              + spec.architecture()
              + " network for "
              + spec.classes()
              + " classes: "
              + e.getMessage());
    }
  }

  public ClassifierSpec spec() {
    return spec;
  }

  /** Where the network runs, e.g. {@code cpu()} or {@code gpu(0)}. */
  public String device() {
    return model.getNDManager().getDevice().toString();
  }

  /**
   * One optimisation step on {@code batch}. The engine is reseeded first from the seed and the step
   * number, so any random operation of a step is the same in a resumed run.
   */
  public StepResult trainBatch(List<Sample> batch) {
    engine.setRandomSeed((int) StreamingLoader.batchSeed(seed, optimizer.steps()));
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = inputs(manager, batch);
      NDArray y = labels(manager, batch);
      float loss;
      NDArray predictions;
      try (GradientCollector collector = engine.newGradientCollector()) {
        NDList output = model.getBlock().forward(parameterStore, new NDList(x), true);
        NDArray lossValue = trainer.getLoss().evaluate(new NDList(y), output);
        collector.backward(lossValue);
        loss = lossValue.getFloat();
        predictions = output.singletonOrThrow().argMax(1);
      }
      optimizer.step(parameters);
      int correct = (int) predictions.toType(DataType.INT64, false).eq(y).sum().getLong();
      return new StepResult(loss, correct, batch.size());
    }
  }

  /** The predicted class of every sample of {@code batch}. */
  public int[] predict(List<Sample> batch) {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      return logits(manager, inputs(manager, batch))
          .argMax(1)
          .toType(DataType.INT32, false)
          .toIntArray();
    }
  }

  /**
   * The softmax over the classes for every sample of {@code batch}, in one forward pass: row {@code
   * i} holds sample {@code i}'s {@code spec().classes()} probabilities.
   */
  public float[][] probabilities(List<Sample> batch) {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      return softmaxRows(logits(manager, inputs(manager, batch)), batch.size());
    }
  }

  /**
   * {@link #probabilities} for {@code count} images already decoded by {@link
   * ImageFeatures#write(java.awt.image.BufferedImage, ClassifierSpec, float[], int)}, one after the
   * other in {@code pixels}: a server decodes on its request threads and runs only the forward pass
   * here.
   */
  public float[][] probabilitiesOfPixels(float[] pixels, int count) {
    int size = spec.channels() * spec.height() * spec.width();
    if (spec.kind() != SampleKind.IMAGE || count < 1 || pixels.length != size * count) {
      throw new IllegalArgumentException(
          "expected " + count + " images of " + size + " values for " + spec.architecture());
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = manager.create(pixels, Classifiers.inputShape(spec, count));
      return softmaxRows(logits(manager, x), count);
    }
  }

  private float[][] softmaxRows(NDArray logits, int count) {
    float[] flat = logits.softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
    float[][] rows = new float[count][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * spec.classes(), (i + 1) * spec.classes());
    }
    return rows;
  }

  private NDArray logits(NDManager manager, NDArray x) {
    return model
        .getBlock()
        .forward(new ParameterStore(manager, false), new NDList(x), false)
        .singletonOrThrow();
  }

  /**
   * Writes {@code model.json} and {@code model.params} into {@code dir}, each atomically (a crash
   * leaves the old file or the new one, never half of one).
   */
  public void save(Path dir) {
    files().forEach((name, bytes) -> AtomicFile.write(dir.resolve(name), bytes));
  }

  /**
   * The files {@link #save} writes, by name, in memory: {@code model.params}, {@code model.json}
   * and, for a text model, {@code tokenizer.json}.
   */
  public Map<String, byte[]> files() {
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(params)) {
      model.getBlock().saveParameters(out);
    } catch (IOException e) {
      throw new IoFailureException("cannot serialise the model's parameters: " + e.getMessage());
    }
    Map<String, byte[]> files = new TreeMap<>();
    files.put(PARAMS_FILE, params.toByteArray());
    files.put(ClassifierSpec.FILE, spec.toJson());
    if (text != null) {
      files.put(TextFeatures.FILE, text.json());
    }
    return files;
  }

  /** The engine and DJL versions, e.g. {@code PyTorch 2.7.1 (DJL 0.35.1)}. */
  public String engineVersion() {
    return engine.getEngineName()
        + " "
        + engine.getVersion()
        + " (DJL "
        + Engine.getDjlVersion()
        + ")";
  }

  /** The parameters and optimizer state as they are now, for a checkpoint. */
  public Snapshot snapshot() {
    Map<String, NamedTensors.Tensor> weights = new LinkedHashMap<>();
    parameters.forEach((name, p) -> weights.put(name, ModelTensors.of(p.getArray(), name)));
    return new Snapshot(
        NamedTensors.encode(weights), NamedTensors.encode(optimizer.state()), optimizer.steps());
  }

  /**
   * Puts a {@link #snapshot} back: every parameter (overwritten in place, so the trainer keeps
   * training the same arrays) and the optimizer's moments and step count.
   *
   * @throws MalformedInputException when a tensor is missing, extra or of another shape
   */
  public void restore(Snapshot snapshot) {
    Map<String, NamedTensors.Tensor> weights =
        NamedTensors.decode(snapshot.parameters(), "the checkpoint's parameters");
    if (!weights.keySet().equals(parameters.keySet())) {
      throw new MalformedInputException(
          "the checkpoint holds parameters "
              + weights.keySet()
              + ", the network has "
              + parameters.keySet());
    }
    weights.forEach((name, t) -> ModelTensors.setInto(parameters.get(name).getArray(), t, name));
    optimizer.restore(
        snapshot.steps(),
        NamedTensors.decode(snapshot.optimizer(), "the checkpoint's optimizer state"),
        parameters);
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
    if (text != null) {
      text.close();
    }
  }

  private NDArray inputs(NDManager manager, List<Sample> batch) {
    for (Sample sample : batch) {
      if (sample.kind() != spec.kind()) {
        throw new MalformedInputException(
            "sample "
                + sample.key()
                + " holds "
                + sample.kind().extension()
                + ", but "
                + spec.architecture()
                + " reads "
                + spec.kind().extension());
      }
    }
    if (text != null) {
      long[] ids = new long[spec.maxTokens() * batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        text.write(batch.get(i), spec, ids, i * spec.maxTokens());
      }
      return manager.create(ids, Classifiers.inputShape(spec, batch.size()));
    }
    int size = spec.channels() * spec.height() * spec.width();
    float[] pixels = new float[size * batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      ImageFeatures.write(batch.get(i), spec, pixels, i * size);
    }
    return manager.create(pixels, Classifiers.inputShape(spec, batch.size()));
  }

  private NDArray labels(NDManager manager, List<Sample> batch) {
    long[] labels = new long[batch.size()];
    for (int i = 0; i < labels.length; i++) {
      int label = batch.get(i).label();
      if (label >= spec.classes()) {
        throw new MalformedInputException(
            "sample "
                + batch.get(i).key()
                + " has label "
                + label
                + ", beyond the model's "
                + spec.classes()
                + " classes");
      }
      labels[i] = label;
    }
    return manager.create(labels);
  }

  private static Map<String, Shape> shapes(Block block) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    block
        .getParameters()
        .forEach(pair -> shapes.put(pair.getKey(), pair.getValue().getArray().getShape()));
    return shapes;
  }

  /**
   * PyTorch, unless {@code DJL_DEFAULT_ENGINE} names another: the tokenizers jar registers a DJL
   * engine of its own that cannot train, so DJL's default choice is not relied on.
   */
  private static Engine trainingEngine() {
    String configured = System.getenv("DJL_DEFAULT_ENGINE");
    String name = configured == null || configured.isBlank() ? "PyTorch" : configured;
    if (!Engine.hasEngine(name)) {
      throw new BackendUnavailableException(
          "DJL engine " + name + " is not on the class path; available: " + Engine.getAllEngines());
    }
    return Engine.getEngine(name);
  }

  private static Device device(Engine engine) {
    return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
  }

  private static byte[] bytes(Map<String, ByteBuffer> files, String name) {
    ByteBuffer buffer = files.get(name);
    if (buffer == null) {
      throw new MalformedInputException("the model folder lacks " + name);
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
