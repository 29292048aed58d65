package org.sentryml.confidential.encryption.keys;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.sentryml.core.errors.UsageException;

/**
 * Where the master key of a key store comes from, never the command line itself: in this order, a
 * file named by an option ({@code --master-key FILE}), the file that {@value #FILE_VARIABLE} names,
 * the keyset text in {@value #KEY_VARIABLE}, or else {@value #DEFAULT_FILE} inside the store (the
 * embedded default; production keeps the key elsewhere). Setting both variables is refused as
 * ambiguous. {@link #toString()} names the source, never the key. Immutable.
 */
public final class MasterKeySource {
  /** The environment variable that names a master key file. */
  public static final String FILE_VARIABLE = "SENTRY_MASTER_KEY_FILE";

  /** The environment variable that holds a master key itself (a Tink JSON keyset). */
  public static final String KEY_VARIABLE = "SENTRY_MASTER_KEY";

  /** The master key file inside a store when nothing else names one. */
  public static final String DEFAULT_FILE = "master.key";

  private final Path file;
  private final String text;
  private final boolean insideStore;

  private MasterKeySource(Path file, String text, boolean insideStore) {
    this.file = file;
    this.text = text;
    this.insideStore = insideStore;
  }

  /**
   * The source for the key store {@code store}.
   *
   * @param option the file named on the command line, or null
   * @param environment the process environment ({@code System.getenv()})
   * @throws UsageException when both environment variables are set
   */
  public static MasterKeySource resolve(Path option, Map<String, String> environment, Path store) {
    if (option != null) {
      return new MasterKeySource(option, null, false);
    }
    String fileVariable = nonEmpty(environment.get(FILE_VARIABLE));
    String keyVariable = nonEmpty(environment.get(KEY_VARIABLE));
    if (fileVariable != null && keyVariable != null) {
      throw new UsageException(
          "both " + FILE_VARIABLE + " and " + KEY_VARIABLE + " are set; set one of them");
    }
    if (fileVariable != null) {
      return new MasterKeySource(Path.of(fileVariable), null, false);
    }
    if (keyVariable != null) {
      return new MasterKeySource(null, keyVariable, false);
    }
    return new MasterKeySource(store.resolve(DEFAULT_FILE), null, true);
  }

  /** The master key file, unless the key comes from {@value #KEY_VARIABLE}. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Whether the key is the embedded default, {@value #DEFAULT_FILE} inside the store. */
  public boolean insideStore() {
    return insideStore;
  }

  /** Reads the master key. */
  MasterKey load() {
    return file != null
        ? MasterKey.readFile(file)
        : MasterKey.fromText(text, "environment variable " + KEY_VARIABLE);
  }

  /**
   * Whether the key exists already: always for the environment variable, else when the file does.
   */
  boolean exists() {
    return file == null || Files.exists(file, LinkOption.NOFOLLOW_LINKS);
  }

  /** Creates the master key file (mode 0600); only for a file source that does not exist yet. */
  MasterKey create() {
    if (file == null) {
      throw new IllegalStateException("a master key from the environment is never created");
    }
    return MasterKey.createFile(file);
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  @Override
  public String toString() {
    return file != null
        ? "master key file " + file
        : "master key in environment variable " + KEY_VARIABLE;
  }
}
