package org.sentryml.cli;

import java.nio.file.Path;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Option;

/**
 * The key store a command uses and where its master key comes from: {@code --master-key FILE}, else
 * {@code SENTRY_MASTER_KEY_FILE}, else {@code SENTRY_MASTER_KEY}, else {@code master.key} in the
 * store. The key itself is never an argument, so it never shows in a process list or a shell
 * history.
 */
public final class KeyStoreOptions {
  @Option(
      names = "--store",
      required = true,
      paramLabel = "DIR",
      description = "The key store folder.")
  Path store;

  @Option(
      names = {"--master-key", "--master_key"},
      paramLabel = "FILE",
      description =
          "Master key file (Tink JSON keyset, mode 0600); else $SENTRY_MASTER_KEY_FILE, $SENTRY_MASTER_KEY"
              + " or DIR/master.key.")
  Path masterKey;

  MasterKeySource source() {
    return MasterKeySource.resolve(masterKey, System.getenv(), store);
  }

  KeyStore open() {
    return KeyStore.open(store, source());
  }

  /** The key id given as {@code sentry:<model|dataset>/<artifact>@<version>}. */
  static KeyId keyId(String text) {
    return KeyId.parse(text)
        .orElseThrow(
            () ->
                new UsageException(
                    "--id '"
                        + text
                        + "' is not a key id: expected "
                        + KeyId.SYNTAX
                        + ", the artifact and version of "
                        + KeyId.NAME_SYNTAX));
  }
}
