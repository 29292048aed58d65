package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.confidential.encryption.keys.MasterKeySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry keys init --store DIR [--master-key FILE]}. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description =
        "Create a key store; the master key file is created (mode 0600) unless it exists.")
public final class KeysInitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KeyStoreOptions keys;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    MasterKeySource source = keys.source();
    KeyStore.Initialized initialized = KeyStore.init(keys.store, source);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("store", keys.store.toString());
      result.addProperty(
          "master_key",
          source
              .file()
              .map(Object::toString)
              .orElse("environment:" + MasterKeySource.KEY_VARIABLE));
      result.addProperty("master_key_created", initialized.masterKeyCreated());
      result.addProperty("master_key_inside_store", source.insideStore());
      JsonOutput.print(out, result);
      return 0;
    }
    TerminalText.println(
        out,
        "initialized key store "
            + keys.store
            + " with the "
            + source
            + (initialized.masterKeyCreated() ? " (created, mode 0600)" : ""));
    if (source.insideStore()) {
      TerminalText.println(
          spec.commandLine().getErr(),
          "note: the master key is inside the store; in production keep it"
              + " elsewhere (--master-key FILE or "
              + MasterKeySource.FILE_VARIABLE
              + ") so that a copy of the store alone opens nothing");
    }
    out.flush();
    return 0;
  }
}
