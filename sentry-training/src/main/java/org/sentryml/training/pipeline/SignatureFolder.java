package org.sentryml.training.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sentryml.core.attestation.DatasetStatementCodec;
import org.sentryml.core.attestation.DatasetStatementCodec.SignedSource;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.signing.StatementVerifier;

/**
 * The folder the trainer signs into and the inferencer verifies from: {@code model.sig}, one {@code
 * dataset_<source>.sig} per data source and {@code provenance.sig}.
 */
public record SignatureFolder(Path dir) {
  public static final String MODEL = "model.sig";
  public static final String PROVENANCE = "provenance.sig";
  private static final String DATASET_PREFIX = "dataset_";
  private static final String SUFFIX = ".sig";

  public Path model() {
    return dir.resolve(MODEL);
  }

  public Path provenance() {
    return dir.resolve(PROVENANCE);
  }

  public Path dataset(String source) {
    return dir.resolve(DATASET_PREFIX + source + SUFFIX);
  }

  /**
   * Verifies every {@code dataset_*.sig} in the folder and decodes it, keyed by source. A file
   * whose statement names another source than its file name says is rejected (a renamed signature).
   */
  public Map<String, SignedSource> verifySources(StatementVerifier verifier) {
    Map<String, SignedSource> sources = new TreeMap<>();
    for (Path file : datasetSignatures()) {
      String name = file.getFileName().toString();
      String source = name.substring(DATASET_PREFIX.length(), name.length() - SUFFIX.length());
      SignedSource signed =
          DatasetStatementCodec.decode(verifier.verify(read(file)), file.toString());
      if (!signed.source().equals(source)) {
        throw new VerificationFailedException(
            file
                + " is signed for source "
                + signed.source()
                + ", not "
                + source
                + " (a renamed signature file)");
      }
      sources.put(source, signed);
    }
    if (sources.isEmpty()) {
      throw new PathException(
          PathException.Kind.NOT_FOUND,
          "no dataset_<source>.sig files in " + dir + "; was the model signed by sentry-trainer?");
    }
    return sources;
  }

  /**
   * Deletes the {@code dataset_*.sig} files that are not in {@code keep}: what a new set of
   * signatures replaces, since the inferencer verifies every one in the folder as one set.
   */
  void removeDatasetSignaturesExcept(Collection<Path> keep) {
    Set<Path> kept = new HashSet<>();
    keep.forEach(p -> kept.add(p.toAbsolutePath().normalize()));
    for (Path file : datasetSignatures()) {
      if (!kept.contains(file.toAbsolutePath().normalize())) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw PathProblems.classify(file, e);
        }
      }
    }
  }

  /** The statement a signature file vouches for, once its signature verifies. */
  public static byte[] verifiedStatement(Path file, StatementVerifier verifier) {
    return verifier.verify(read(file));
  }

  private List<Path> datasetSignatures() {
    if (!Files.isDirectory(dir)) {
      throw new PathException(
          PathException.Kind.NOT_FOUND, "signature folder " + dir + " does not exist");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith(DATASET_PREFIX)
                    && name.endsWith(SUFFIX)
                    && name.length() > DATASET_PREFIX.length() + SUFFIX.length();
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw PathProblems.classify(dir, e);
    }
  }

  private static byte[] read(Path file) {
    return BoundedFiles.read(file, BoundedFiles.MAX_BUNDLE_BYTES, "signature file");
  }
}
