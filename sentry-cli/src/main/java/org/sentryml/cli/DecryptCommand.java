package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.encryption.ArtifactDecryption;
import org.sentryml.confidential.encryption.EncryptionHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentry decrypt PATH --out DIR --store DIR}. */
@Command(
    name = "decrypt",
    mixinStandardHelpOptions = true,
    description =
        "Decrypt an encrypted folder into the folder (or single file) it was made from; every file is"
            + " authenticated before the output appears.")
public final class DecryptCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The encrypted folder.")
  Path input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where the plaintext goes (a file for a single-file model).")
  Path out;

  @Mixin KeyStoreOptions keys;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Files decrypted at once; 0 = one per core (default).")
  int threads;

  @Option(names = "--force", description = "Replace an existing --out.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    EncryptionHeader header =
        ArtifactDecryption.decrypt(
            input, out, keys.open(), List.of(keys.store), force, Threads.of(threads));
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("path", input.toString());
      result.addProperty("out", out.toString());
      result.addProperty("key_id", header.keyId().toString());
      result.addProperty("layout", header.layout().id());
      result.addProperty("files", header.files().size());
      result.addProperty("bytes", header.plaintextBytes());
      JsonOutput.print(stdout, result);
      return 0;
    }
    TerminalText.printf(
        stdout,
        "decrypted %d file%s (%d bytes) of %s into %s with key %s%n",
        header.files().size(),
        header.files().size() == 1 ? "" : "s",
        header.plaintextBytes(),
        input,
        out,
        header.keyId().toString());
    stdout.flush();
    return 0;
  }
}
