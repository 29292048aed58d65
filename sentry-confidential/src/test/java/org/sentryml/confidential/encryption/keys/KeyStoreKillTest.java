package org.sentryml.confidential.encryption.keys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.confidential.encryption.KeyId;

/**
 * A process killed with SIGKILL while it creates and rotates keys leaves a store that opens with
 * every key it had finished: each key file is written whole or not at all, and no index exists to
 * be torn.
 */
class KeyStoreKillTest {
  @TempDir Path dir;

  @Test
  void killNineWhileCreatingKeysLosesNoEarlierKey() throws Exception {
    Path folder = dir.resolve("store");
    KeyStore.init(folder, MasterKeySource.resolve(null, Map.of(), folder));
    SplittableRandom random = new SplittableRandom(17);
    List<KeyId> finished = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      finished.addAll(
          runAndKill(folder, "round" + round, 3 + random.nextInt(10), random.nextInt(4)));
    }
    KeyStore store = KeyStore.open(folder, MasterKeySource.resolve(null, Map.of(), folder));
    Set<KeyId> listed = KeyStore.list(folder).stream().map(KeyInfo::id).collect(Collectors.toSet());
    assertTrue(finished.size() >= 12, "keys finished before the kills: " + finished.size());
    for (KeyId id : finished) {
      assertTrue(listed.contains(id), id + " is listed");
      store.streamingAead(id);
    }
    // A key whose creation was cut short is absent or whole, never in between: every listed key
    // opens.
    for (KeyId id : listed) {
      store.streamingAead(id);
    }
  }

  /** Starts a key-creating process, kills it after {@code lines} keys and {@code millis} more. */
  private static List<KeyId> runAndKill(Path folder, String prefix, int lines, int millis)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                KeyCreatingProcess.class.getName(),
                folder.toString(),
                prefix)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<KeyId> done = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      while (done.size() < lines) {
        String line = out.readLine();
        assertTrue(line != null, "the key-creating process ended early");
        done.add(KeyId.parse(line).orElseThrow());
      }
      Thread.sleep(millis);
      // SIGKILL on Unix: no shutdown hook, no finally block runs. It also closes the pipe, so keys
      // finished after the last line read are not known here; the listing check covers them.
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }
    return done;
  }
}
