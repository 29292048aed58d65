package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.encryption.keys.KeyInfo;
import org.sentryml.confidential.encryption.keys.KeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry keys create --store DIR --id ID}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create the data key of one artifact version.")
public final class KeysCreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KeyStoreOptions keys;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "Key id: sentry:<model|dataset>/<artifact>@<version>.")
  String id;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    KeyStore store = keys.open();
    KeyInfo info = store.create(KeyStoreOptions.keyId(id));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject result = KeysListCommand.toJson(info);
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("store", keys.store.toString());
      JsonOutput.print(out, result);
      return 0;
    }
    TerminalText.println(out, "created key " + info.id() + " in " + store.keyFile(info.id()));
    out.flush();
    return 0;
  }
}
