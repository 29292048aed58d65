package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.encryption.keys.KeyInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry keys rotate --store DIR --id ID}. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = "Give a data key a new primary key; what the old keys encrypted still decrypts.")
public final class KeysRotateCommand implements Callable<Integer> {
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
    KeyInfo info = keys.open().rotate(KeyStoreOptions.keyId(id));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject result = KeysListCommand.toJson(info);
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("store", keys.store.toString());
      JsonOutput.print(out, result);
      return 0;
    }
    TerminalText.println(
        out,
        "rotated key "
            + info.id()
            + ": "
            + info.keys()
            + " keys, the newest encrypts, all decrypt");
    out.flush();
    return 0;
  }
}
