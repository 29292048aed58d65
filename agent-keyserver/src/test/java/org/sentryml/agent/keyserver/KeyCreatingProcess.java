package org.sentryml.agent.keyserver;

import java.nio.file.Path;
import java.util.Map;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;

/**
 * Run as its own process by {@link ServerKillTest}: creates keys {@code sentry:model/k@1},
 * {@code @2}, ... in the store {@code args[0]} (as {@code sentry keys create} does), printing each
 * id once its creation returned, until killed.
 */
public final class KeyCreatingProcess {
  private KeyCreatingProcess() {}

  public static void main(String[] args) {
    Path folder = Path.of(args[0]);
    KeyStore store = KeyStore.open(folder, MasterKeySource.resolve(null, Map.of(), folder));
    for (int i = Integer.parseInt(args[1]); ; i++) {
      KeyId id = new KeyId(ArtifactKind.MODEL, "k", Integer.toString(i));
      store.create(id);
      System.out.println(id);
      System.out.flush();
    }
  }
}
