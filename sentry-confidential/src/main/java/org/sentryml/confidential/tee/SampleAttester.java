package org.sentryml.confidential.tee;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.BoundedFiles;

/**
 * The insecure attester for machines without a TEE: it measures the program (its class-path jars)
 * and its configuration files in software and emits {@link SampleEvidence} bound to the
 * attestation. Nothing stops the machine's owner from running other code or writing other values,
 * so a key server accepts it only for keys whose policy says {@code "allow_insecure_sample": true},
 * and says so ({@link #WARNING}) in every log line.
 *
 * <p>The measurement is SHA-256 over {@code "sentry-sample-measurement/v1\n"}, the number of jars
 * (32-bit big-endian), the jars' SHA-256 digests in ascending byte order, the number of
 * configuration files and their SHA-256 digests in ascending byte order: it changes with any byte
 * of any jar or file, and not with their names, locations or order. Thread-safe; each call measures
 * the files afresh.
 */
public final class SampleAttester implements Attester {
  /** The words every log line about sample evidence carries. */
  public static final String WARNING =
      "INSECURE sample evidence: a software measurement with no hardware root of trust, which anyone can forge";

  private static final byte[] DOMAIN =
      "sentry-sample-measurement/v1\n".getBytes(StandardCharsets.US_ASCII);
  private static final long MAX_CONFIG_BYTES = 16L << 20;

  private final List<Path> jars;
  private final List<Path> configFiles;

  /**
   * @param jars the program's jars, for example {@link #classPathJars}
   * @param configFiles the configuration the program runs with
   */
  public SampleAttester(List<Path> jars, List<Path> configFiles) {
    this.jars = List.copyOf(jars);
    this.configFiles = List.copyOf(configFiles);
  }

  /**
   * The jars of a class path (the running program's is {@code System.getProperty(
   * "java.class.path")}).
   *
   * @throws PathException for an entry that is not a jar file: a folder of classes would go
   *     unmeasured, so the sample attester runs only from installed jars
   */
  public static List<Path> classPathJars(String classPath) {
    List<Path> jars = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator, -1)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path path = Path.of(entry);
      if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
        throw new PathException(
            PathException.Kind.NOT_A_REGULAR_FILE,
            "class-path entry "
                + entry
                + " is not a jar file; the sample attester measures jars only, so run the program from its installed jars");
      }
      jars.add(path);
    }
    return List.copyOf(jars);
  }

  /** The measurement of the jars and configuration files as they are now. */
  public Octets measurement() {
    MessageDigest sha256 = sha256();
    sha256.update(DOMAIN);
    digestAll(sha256, jars, Long.MAX_VALUE, "jar");
    digestAll(sha256, configFiles, MAX_CONFIG_BYTES, "configuration file");
    return Octets.of(sha256.digest());
  }

  @Override
  public Evidence evidence(String nonce, String teePubkeyJwk) {
    Octets reportData = RuntimeData.reportData(nonce, teePubkeyJwk, 64);
    return Evidence.of(EvidenceType.SAMPLE, new SampleEvidence(measurement(), reportData).toJson());
  }

  private static void digestAll(MessageDigest into, List<Path> files, long maxBytes, String what) {
    List<byte[]> digests = new ArrayList<>();
    for (Path file : files) {
      digests.add(digest(file, maxBytes, what));
    }
    digests.sort(Comparator.comparing(digest -> digest, Arrays::compareUnsigned));
    into.update(ByteBuffer.allocate(4).putInt(digests.size()).array());
    digests.forEach(into::update);
  }

  private static byte[] digest(Path file, long maxBytes, String what) {
    BoundedFiles.checkRegularAndSize(file, maxBytes, what);
    MessageDigest sha256 = sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha256.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw PathProblems.classify(file, e);
    }
    return sha256.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every Java runtime", e);
    }
  }
}
