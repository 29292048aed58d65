package org.sentryml.training.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.io.OutputGuard;
import org.sentryml.core.io.StagedFolder;
import org.sentryml.training.ml.ClassifierSession;
import org.sentryml.training.ml.ClassifierSpec;
import org.sentryml.training.ml.TextFeatures;

/**
 * Where a training run puts its results, checked before any training and replaced together at the
 * end: the model folder is staged beside its target ({@link StagedFolder}) and each signature file
 * is written and flushed as a hidden temporary file beside its own target; only when all of them
 * are on disk is the model folder renamed into place, then every signature file, and the {@code
 * dataset_<source>.sig} files of sources the new model was not trained on are removed. A failure
 * before that point (a refused key, a full disk) leaves the previous model and signatures as they
 * were.
 *
 * <p>Not thread-safe; close it (try-with-resources) to delete whatever was staged but not
 * committed.
 */
final class TrainingOutputs implements AutoCloseable {
  /** What {@code sentry-trainer} writes into a model folder; any other file is someone else's. */
  private static final Set<String> MODEL_FILES =
      Set.of(
          ClassifierSpec.FILE,
          ClassifierSession.PARAMS_FILE,
          TextFeatures.FILE,
          EncryptionHeader.FILE_NAME);

  private final SignatureFolder signatures;
  private final StagedFolder model;
  private final List<AtomicFile> staged = new ArrayList<>();

  private TrainingOutputs(SignatureFolder signatures, StagedFolder model) {
    this.signatures = signatures;
    this.model = model;
  }

  /**
   * Checks both output locations and stages the model folder, before anything is trained: the
   * signature folder must be (or become) a writable folder, and the model folder must be absent,
   * empty or a model this trainer wrote, and must not hold the signatures or an input.
   *
   * @param inputs what the run reads (the dataset, a tokenizer)
   */
  static TrainingOutputs prepare(
      Path modelDir, SignatureFolder signatures, Collection<Path> inputs) {
    checkWritableFolder(signatures.dir());
    List<Path> guarded = new ArrayList<>(inputs);
    guarded.add(signatures.dir());
    OutputGuard.refuseUnsafe(modelDir, "--model_path", guarded);
    refuseForeignModel(modelDir);
    return new TrainingOutputs(signatures, StagedFolder.create(modelDir));
  }

  /** The folder to save the model into; it has the model folder's final name. */
  Path modelFolder() {
    return model.folder();
  }

  /** Puts the model and {@code signatureFiles} (target to bytes) in place, as described above. */
  void commit(Map<Path, byte[]> signatureFiles) {
    for (Map.Entry<Path, byte[]> file : signatureFiles.entrySet()) {
      AtomicFile atomic = AtomicFile.create(file.getKey());
      staged.add(atomic);
      try {
        atomic.stream().write(file.getValue());
      } catch (IOException e) {
        throw PathProblems.classify(file.getKey(), e);
      }
      atomic.seal();
    }
    model.commit();
    staged.forEach(AtomicFile::commit);
    signatures.removeDatasetSignaturesExcept(signatureFiles.keySet());
  }

  @Override
  public void close() {
    staged.forEach(AtomicFile::close);
    model.close();
  }

  /** Creates the folder if needed and writes (then deletes) a probe file in it. */
  private static void checkWritableFolder(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException("--sig_out " + dir + " exists and is not a folder");
    }
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".sentry-trainer-", ".probe"));
    } catch (IOException e) {
      throw PathProblems.classifyWrite(dir, e)
          .withContext("--sig_out is not writable, so nothing was trained");
    }
  }

  private static void refuseForeignModel(Path modelDir) {
    if (!Files.exists(modelDir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(modelDir)) {
      throw new UsageException("--model_path " + modelDir + " exists and is not a folder");
    }
    try (Stream<Path> entries = Files.list(modelDir)) {
      for (Path entry : entries.sorted().toList()) {
        if (!MODEL_FILES.contains(entry.getFileName().toString())
            || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          throw new UsageException(
              "refusing to replace --model_path "
                  + modelDir
                  + ": it holds "
                  + entry.getFileName()
                  + ", which sentry-trainer did not write; move it away or choose another folder");
        }
      }
    } catch (IOException e) {
      throw PathProblems.classify(modelDir, e);
    }
  }
}
