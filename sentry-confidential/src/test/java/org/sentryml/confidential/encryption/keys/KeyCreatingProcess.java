package org.sentryml.confidential.encryption.keys;

import java.nio.file.Path;
import java.util.Map;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;

/**
 * A process that creates keys in a store as fast as it can, printing each id once its create
 * returned, until it is killed. {@link KeyStoreKillTest} starts and kills it.
 */
public final class KeyCreatingProcess {
  private KeyCreatingProcess() {}

  public static void main(String[] args) {
    Path folder = Path.of(args[0]);
    KeyStore store = KeyStore.open(folder, MasterKeySource.resolve(null, Map.of(), folder));
    for (int i = 0; ; i++) {
      KeyId id = new KeyId(ArtifactKind.MODEL, args[1] + "-" + i, "1");
      store.create(id);
      if (i % 3 == 0) {
        store.rotate(id);
      }
      System.out.println(id);
      System.out.flush();
    }
  }
}
