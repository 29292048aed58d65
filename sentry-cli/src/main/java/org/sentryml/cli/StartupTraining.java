package org.sentryml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.sentryml.core.io.FileTrees;

/**
 * Runs the everyday commands once, on a copy of a small model, so that the launcher can record
 * their classes in a class-data-sharing archive ({@code -XX:ArchiveClassesAtExit}): later starts
 * then map those classes instead of loading and verifying them. Trained on hashing alone, the
 * archive left signing and verification (Bouncy Castle, protobuf, sigstore-java: about 800 classes)
 * to be loaded on every start, which made re-signing a 4 GiB model after a README edit take 1.2 s
 * instead of 0.8 s.
 *
 * <p>Usage: {@code java -XX:ArchiveClassesAtExit=A -cp sentry-cli.jar
 * org.sentryml.cli.StartupTraining MODEL_FOLDER}. Exits with the first failing command's code, so
 * that the launcher drops the archive instead of keeping a partial one.
 */
final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: StartupTraining MODEL_FOLDER");
      System.exit(2);
    }
    Path work = Files.createTempDirectory("sentry-startup-");
    int code;
    try {
      code = train(Path.of(args[0]), work);
    } finally {
      FileTrees.deleteQuietly(work);
    }
    System.exit(code);
  }

  static int train(Path source, Path work) throws IOException {
    Path model = work.resolve("model");
    copyFolder(source, model);
    String keys = work.resolve("keys").toString();
    String key = work.resolve("keys/private.pem").toString();
    String publicKey = work.resolve("keys/public.pem").toString();
    String folder = model.toString();
    String signature = model.resolve("model.sig").toString();
    List<String[]> commands =
        List.of(
            new String[] {"keygen", "--out", keys},
            new String[] {"hash", folder, "--device", "cpu", "--json"},
            new String[] {"sign", folder, "-q", "private-key", "--private_key", key},
            new String[] {
              "sign",
              folder,
              "-q",
              "--force",
              "--reuse",
              signature,
              "private-key",
              "--private_key",
              key
            },
            new String[] {"verify", folder, "-q", "private-key", "--public_key", publicKey});
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    for (String[] command : commands) {
      int code = SentryCli.run(command, discard, discard);
      if (code != 0) {
        return code;
      }
    }
    return 0;
  }

  private static void copyFolder(Path source, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, target.resolve(file.getFileName().toString()));
      }
    }
  }
}
