package org.sentryml.agent.keyserver;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sentry-keyserver certs --out DIR [--server-name NAME]... [--client NAME]...}: a local CA
 * ({@code ca.pem}), a server certificate ({@code server.pem}, {@code server-key.pem}) and client
 * certificates ({@code <name>.pem}, {@code <name>-key.pem}), for trying the key server out.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description =
        "Make a throwaway local CA with a server certificate and client certificates (PEM, keys mode 0600).")
final class CertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder to write into.")
  Path out;

  @Option(
      names = "--server-name",
      paramLabel = "NAME",
      description =
          "DNS name or IP address of the server (repeatable; default: localhost and 127.0.0.1).")
  List<String> serverNames;

  @Option(
      names = "--client",
      paramLabel = "NAME",
      description = "A client certificate CN=NAME (repeatable).")
  List<String> clients;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "30",
      description = "Validity in days (default: ${DEFAULT-VALUE}).")
  int days;

  @Override
  public Integer call() {
    if (days < 1) {
      throw new UsageException("--days must be at least 1");
    }
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw PathProblems.classifyWrite(out, e);
    }
    LocalPki pki = LocalPki.create("Sentry local CA", Duration.ofDays(days));
    pki.writeCa(out.resolve("ca.pem"));
    List<String> names = serverNames == null ? List.of("localhost", "127.0.0.1") : serverNames;
    pki.server("sentry-keyserver", names, out.resolve("server.pem"), out.resolve("server-key.pem"));
    PrintWriter writer = spec.commandLine().getOut();
    TerminalText.println(
        writer,
        "wrote " + out.resolve("ca.pem") + " and " + out.resolve("server.pem") + " for " + names);
    for (String client : clients == null ? List.<String>of() : clients) {
      if (!client.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
        throw new UsageException("--client '" + client + "' must be a plain name");
      }
      pki.client(client, out.resolve(client + ".pem"), out.resolve(client + "-key.pem"));
      TerminalText.println(
          writer, "wrote " + out.resolve(client + ".pem") + " (CN=" + client + ")");
    }
    writer.flush();
    return 0;
  }
}
