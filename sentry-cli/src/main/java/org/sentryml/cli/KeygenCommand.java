package org.sentryml.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.JsonOutput;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.signing.EcCurve;
import org.sentryml.core.signing.KeyPairWriter;
import org.sentryml.core.signing.KeyPairWriter.KeyPairFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry keygen --out DIR [--curve p256|p384|p521]}: an ECDSA key pair as PEM files. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description =
        "Generate an ECDSA key pair: DIR/private.pem (PKCS#8, mode 0600) and DIR/public.pem.")
public final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the key files (created if missing).")
  Path out;

  @Option(
      names = "--curve",
      paramLabel = "C",
      defaultValue = "p256",
      description = "p256, p384 or p521 (default: ${DEFAULT-VALUE}).")
  String curve;

  @Option(names = "--force", description = "Replace existing key files.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    KeyPairFiles files = KeyPairWriter.generateInto(EcCurve.parse(curve), out, force);
    if (json) {
      JsonObject result = new JsonObject();
      result.addProperty("private_key", files.privateKey().toString());
      result.addProperty("public_key", files.publicKey().toString());
      result.addProperty("curve", curve.toLowerCase(Locale.ROOT));
      JsonOutput.print(spec.commandLine().getOut(), result);
      return 0;
    }
    TerminalText.println(
        spec.commandLine().getOut(),
        "wrote " + files.privateKey() + " (private, mode 0600) and " + files.publicKey());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
