package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.encryption.ArtifactEncryption;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.keys.KeyStore;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sentry encrypt PATH --out DIR --id ARTIFACT@VERSION --store DIR}. */
@Command(
    name = "encrypt",
    mixinStandardHelpOptions = true,
    description =
        "Encrypt a model folder, model file or prepared dataset folder into an encrypted folder;"
            + " the artifact's data key is created in the store when it does not exist yet.")
public final class EncryptCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "PATH",
      description = "Model folder, single model file or prepared dataset folder.")
  Path input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The encrypted folder to write.")
  Path out;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ARTIFACT@VERSION",
      description = "The artifact and its version, e.g. mnist-cnn@3.")
  String artifact;

  @Option(
      names = "--kind",
      paramLabel = "K",
      description =
          "model or dataset (default: dataset for a folder holding index.json and manifest.json, else model).")
  String kind;

  @Mixin KeyStoreOptions keys;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Files encrypted at once; 0 = one per core (default).")
  int threads;

  @Option(names = "--force", description = "Replace an existing --out.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    KeyId id =
        KeyId.of(kind(), artifact)
            .orElseThrow(
                () ->
                    new UsageException(
                        "--id '"
                            + artifact
                            + "' is not ARTIFACT@VERSION, each of "
                            + KeyId.NAME_SYNTAX));
    KeyStore store = keys.open();
    boolean created = store.createIfAbsent(id);
    EncryptionHeader header =
        ArtifactEncryption.encrypt(
            input, out, id, store, List.of(keys.store), force, Threads.of(threads));
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("ok", true);
      result.addProperty("exit_code", 0);
      result.addProperty("path", input.toString());
      result.addProperty("out", out.toString());
      result.addProperty("key_id", id.toString());
      result.addProperty("key_created", created);
      result.addProperty("layout", header.layout().id());
      result.addProperty("files", header.files().size());
      result.addProperty("bytes", header.plaintextBytes());
      JsonOutput.print(stdout, result);
      return 0;
    }
    TerminalText.printf(
        stdout,
        "encrypted %d file%s (%d bytes) of %s into %s with key %s%s%n",
        header.files().size(),
        header.files().size() == 1 ? "" : "s",
        header.plaintextBytes(),
        input,
        out,
        id.toString(),
        created ? " (created)" : "");
    stdout.flush();
    return 0;
  }

  private ArtifactKind kind() {
    if (kind != null) {
      return ArtifactKind.of(kind.toLowerCase(Locale.ROOT))
          .orElseThrow(
              () -> new UsageException("--kind must be model or dataset, not '" + kind + "'"));
    }
    boolean dataset =
        Files.isRegularFile(input.resolve("index.json"), LinkOption.NOFOLLOW_LINKS)
            && Files.isRegularFile(input.resolve("manifest.json"), LinkOption.NOFOLLOW_LINKS);
    return dataset ? ArtifactKind.DATASET : ArtifactKind.MODEL;
  }
}
