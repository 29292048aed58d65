package org.sentryml.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.encryption.keys.KeyInfo;
import org.sentryml.confidential.encryption.keys.KeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry keys list --store DIR}: ids and times, read without the master key. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the data keys of a store (ids and times, never key material).")
public final class KeysListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--store",
      required = true,
      paramLabel = "DIR",
      description = "The key store folder.")
  Path store;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    List<KeyInfo> keys = KeyStore.list(store);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("store", store.toString());
      JsonArray array = new JsonArray();
      keys.forEach(info -> array.add(toJson(info)));
      result.add("keys", array);
      JsonOutput.print(out, result);
      return 0;
    }
    for (KeyInfo info : keys) {
      TerminalText.printf(
          out,
          "%s  created %s%s  %d key%s%n",
          info.id().toString(),
          info.created().toString(),
          info.rotated().map(at -> "  rotated " + at).orElse(""),
          info.keys(),
          info.keys() == 1 ? "" : "s");
    }
    if (keys.isEmpty()) {
      TerminalText.println(out, "no keys in " + store);
    }
    out.flush();
    return 0;
  }

  /** A key's public facts: {@code {"id", "created", "rotated" (once rotated), "keys"}}. */
  static JsonObject toJson(KeyInfo info) {
    JsonObject json = new JsonObject();
    json.addProperty("id", info.id().toString());
    json.addProperty("created", info.created().toString());
    info.rotated().ifPresent(at -> json.addProperty("rotated", at.toString()));
    json.addProperty("keys", info.keys());
    return json;
  }
}
