package org.sentryml.clisupport;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Option;

/**
 * An agent's key store, for the encrypted artifacts it reads or writes (DESIGN §8): {@code
 * --key-store DIR}, its master key from {@code --master-key FILE}, else {@code
 * SENTRY_MASTER_KEY_FILE}, else {@code SENTRY_MASTER_KEY}, else {@code DIR/master.key}. The key
 * itself is never an argument.
 */
public final class KeyStoreOption {
  @Option(
      names = {"--key-store", "--key_store"},
      paramLabel = "DIR",
      description = "Key store of encrypted artifacts (sentry keys init).")
  @Nullable Path keyStore;

  @Option(
      names = {"--master-key", "--master_key"},
      paramLabel = "FILE",
      description =
          "The key store's master key file (mode 0600); else $SENTRY_MASTER_KEY_FILE, $SENTRY_MASTER_KEY"
              + " or DIR/master.key.")
  @Nullable Path masterKey;

  /** The key store, opened, when {@code --key-store} was given. */
  public Optional<KeyStore> open() {
    if (keyStore == null) {
      if (masterKey != null) {
        throw new UsageException("--master-key needs --key-store");
      }
      return Optional.empty();
    }
    return Optional.of(
        KeyStore.open(keyStore, MasterKeySource.resolve(masterKey, System.getenv(), keyStore)));
  }

  /** The key store, which {@code option} needs. */
  public KeyStore required(String option) {
    return open()
        .orElseThrow(
            () -> new UsageException(option + " needs --key-store DIR (sentry keys init)"));
  }

  /** Where the store is, to keep outputs out of it. */
  public Optional<Path> folder() {
    return Optional.ofNullable(keyStore);
  }

  /** {@code text}, an {@code <artifact>@<version>} given to {@code option}, as a key id. */
  public static KeyId keyId(ArtifactKind kind, String text, String option) {
    return KeyId.of(kind, text)
        .orElseThrow(
            () ->
                new UsageException(
                    option
                        + " '"
                        + text
                        + "' is not <artifact>@<version>, each of "
                        + KeyId.NAME_SYNTAX));
  }
}
