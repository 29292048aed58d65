package org.sentryml.confidential.encryption.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sentryml.core.errors.UsageException;

/**
 * The master key comes from the option, else the environment, else the store, never ambiguously.
 */
class MasterKeySourceTest {
  private static final Path STORE = Path.of("/keys/store");

  @Test
  void theOptionComesFirst() {
    MasterKeySource source =
        MasterKeySource.resolve(
            Path.of("/m.key"), Map.of(MasterKeySource.FILE_VARIABLE, "/env.key"), STORE);
    assertEquals(Optional.of(Path.of("/m.key")), source.file());
    assertFalse(source.insideStore());
  }

  @Test
  void thenTheFileVariableThenTheKeyVariable() {
    assertEquals(
        Optional.of(Path.of("/env.key")),
        MasterKeySource.resolve(null, Map.of(MasterKeySource.FILE_VARIABLE, "/env.key"), STORE)
            .file());
    MasterKeySource text =
        MasterKeySource.resolve(null, Map.of(MasterKeySource.KEY_VARIABLE, "{}"), STORE);
    assertEquals(Optional.empty(), text.file());
    assertFalse(text.toString().contains("{}"));
  }

  @Test
  void elseTheDefaultFileInsideTheStore() {
    MasterKeySource source =
        MasterKeySource.resolve(null, Map.of(MasterKeySource.FILE_VARIABLE, ""), STORE);
    assertEquals(Optional.of(STORE.resolve("master.key")), source.file());
    assertTrue(source.insideStore());
  }

  @Test
  void bothVariablesAreAmbiguous() {
    assertThrows(
        UsageException.class,
        () ->
            MasterKeySource.resolve(
                null,
                Map.of(MasterKeySource.FILE_VARIABLE, "/a", MasterKeySource.KEY_VARIABLE, "{}"),
                STORE));
  }
}
