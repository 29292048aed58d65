package org.sentryml.spark;

import java.io.Serializable;
import org.apache.spark.SparkConf;
import org.sentryml.core.engine.Engines;
import org.sentryml.core.engine.HashEngine;

/**
 * Which hashing engine the tasks open on their executor: the cuda engine where Spark schedules GPUs
 * to executors ({@code spark.executor.resource.gpu.amount} > 0), the CPU engine otherwise. Decided
 * once on the driver and shipped with the tasks, so every executor of a job hashes the same way;
 * engines give bit-identical digests (DESIGN §1.4), so the choice changes speed only.
 *
 * @param device {@link Engines.Device#CPU} or {@link Engines.Device#GPU}
 * @param threads hashing threads per task; 0 = one per core the executor's JVM sees
 */
public record ExecutorEngine(Engines.Device device, int threads) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The setting that gives executors GPUs under Spark's resource scheduling. */
  public static final String GPU_AMOUNT = "spark.executor.resource.gpu.amount";

  /** The engine for the executors of {@code conf}. */
  public static ExecutorEngine choose(SparkConf conf) {
    double gpus = 0;
    if (conf.contains(GPU_AMOUNT)) {
      try {
        gpus = Double.parseDouble(conf.get(GPU_AMOUNT).trim());
      } catch (NumberFormatException e) {
        gpus = 0;
      }
    }
    int cores = conf.getInt("spark.task.cpus", 1);
    return new ExecutorEngine(gpus > 0 ? Engines.Device.GPU : Engines.Device.CPU, cores);
  }

  /** Opens the engine on this executor; the caller closes it. */
  public HashEngine open() {
    return Engines.create(device, threads, line -> {});
  }

  public String describe() {
    return device == Engines.Device.GPU ? "cuda on executors" : "cpu on executors";
  }
}
