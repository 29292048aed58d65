package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sentry keys}: init, create, list and rotate, and the exit codes of what they refuse. */
class KeysCliTest {
  private static final String ID = "sentry:model/mnist-cnn@3";
  @TempDir Path dir;

  private CliRun keys(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "keys";
    System.arraycopy(args, 0, full, 1, args.length);
    return CliRun.of(full);
  }

  @Test
  void initCreateListRotateSayWhatTheyDid() {
    String store = dir.resolve("store").toString();
    CliRun init = keys("init", "--store", store);
    assertEquals(0, init.exitCode(), init.err());
    assertTrue(init.out().contains("master.key (created, mode 0600)"), init.out());
    assertTrue(init.err().contains("keep it elsewhere"), init.err());

    CliRun create = keys("create", "--store", store, "--id", ID, "--json");
    assertEquals(0, create.exitCode(), create.err());
    JsonObject created = JsonParser.parseString(create.out()).getAsJsonObject();
    assertEquals(ID, created.get("id").getAsString());
    assertEquals(1, created.get("keys").getAsInt());

    CliRun rotate = keys("rotate", "--store", store, "--id", ID);
    assertEquals(0, rotate.exitCode(), rotate.err());
    assertTrue(rotate.out().contains("2 keys"), rotate.out());

    CliRun list = keys("list", "--store", store, "--json");
    assertEquals(0, list.exitCode(), list.err());
    JsonArray listed = JsonParser.parseString(list.out()).getAsJsonObject().getAsJsonArray("keys");
    assertEquals(1, listed.size());
    JsonObject key = listed.get(0).getAsJsonObject();
    assertEquals(ID, key.get("id").getAsString());
    assertEquals(created.get("created"), key.get("created"));
    assertTrue(key.has("rotated"));
    assertEquals(2, key.get("keys").getAsInt());
    assertEquals(4, key.size(), "only id, created, rotated and keys: " + key);

    CliRun text = keys("list", "--store", store);
    assertTrue(text.out().startsWith(ID + "  created "), text.out());
  }

  @Test
  void aMasterKeyFileOutsideTheStoreIsCreatedOrReused() throws Exception {
    Path master = dir.resolve("secrets/master.key");
    assertEquals(
        0,
        keys("init", "--store", dir.resolve("a").toString(), "--master-key", master.toString())
            .exitCode());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(master)));
    assertFalse(Files.exists(dir.resolve("a/master.key")));
    CliRun second =
        keys(
            "init",
            "--store",
            dir.resolve("b").toString(),
            "--master-key",
            master.toString(),
            "--json");
    assertEquals(0, second.exitCode(), second.err());
    JsonObject result = JsonParser.parseString(second.out()).getAsJsonObject();
    assertFalse(result.get("master_key_created").getAsBoolean());
    assertFalse(result.get("master_key_inside_store").getAsBoolean());
  }

  @Test
  void refusalsHaveTheirExitCodes() throws Exception {
    String store = dir.resolve("store").toString();
    assertEquals(0, keys("init", "--store", store).exitCode());
    assertEquals(2, keys("init", "--store", store).exitCode());
    assertEquals(0, keys("create", "--store", store, "--id", ID).exitCode());
    assertEquals(2, keys("create", "--store", store, "--id", ID).exitCode());
    assertEquals(2, keys("create", "--store", store, "--id", "mnist-cnn@3").exitCode());
    assertEquals(2, keys("create", "--store", store, "--id", "sentry:model/../x@1").exitCode());
    assertEquals(6, keys("rotate", "--store", store, "--id", "sentry:model/other@1").exitCode());
    assertEquals(6, keys("list", "--store", dir.resolve("nowhere").toString()).exitCode());
    assertEquals(2, keys().exitCode());
    Files.setPosixFilePermissions(
        dir.resolve("store/master.key"), PosixFilePermissions.fromString("rw-r--r--"));
    CliRun open = keys("create", "--store", store, "--id", "sentry:model/x@1");
    assertEquals(7, open.exitCode());
    assertTrue(open.err().contains("chmod 600"), open.err());
    Files.setPosixFilePermissions(
        dir.resolve("store/master.key"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve("store/master.key"), "not a keyset");
    assertEquals(3, keys("create", "--store", store, "--id", "sentry:model/x@1").exitCode());
  }
}
