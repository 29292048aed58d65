package org.sentryml.agent.keycache;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.broker.KbsClient;
import org.sentryml.confidential.broker.TlsFiles;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.tee.EvidenceType;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sentry-keycache serve ...}: runs until stopped (SIGTERM or SIGINT). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Attest to the key server, fetch the keys, serve them on a Unix socket.")
final class KeyCacheServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--upstream",
      required = true,
      paramLabel = "URL",
      description = "The key server, e.g. https://keys.example:8443.")
  URI upstream;

  @Option(
      names = "--tls-cert",
      required = true,
      paramLabel = "PEM",
      description = "This host's client certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", required = true, paramLabel = "PEM", description = "Its key.")
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      required = true,
      paramLabel = "PEM",
      description = "The CA of the key server's certificate.")
  Path tlsCa;

  @Option(
      names = "--keys",
      required = true,
      arity = "1..*",
      paramLabel = "ID",
      description = "The key ids this host needs: sentry:<model|dataset>/<artifact>@<version>.")
  List<String> keyIds;

  @Option(
      names = "--socket",
      required = true,
      paramLabel = "PATH",
      description = "The Unix socket to serve on.")
  Path socket;

  @Option(
      names = "--allow-user",
      paramLabel = "NAME",
      description =
          "A user whose processes may fetch keys (repeatable; default: this process's user).")
  List<String> allowUsers;

  @Option(
      names = "--ttl-seconds",
      paramLabel = "N",
      defaultValue = "600",
      description = "How long keys are held before attesting again (default: ${DEFAULT-VALUE}).")
  long ttlSeconds;

  @Option(
      names = "--ready-file",
      paramLabel = "FILE",
      description = "Written with the socket path once it listens.")
  Path readyFile;

  @Mixin EvidenceOptions evidence;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (ttlSeconds < 1) {
      throw new UsageException("--ttl-seconds must be at least 1");
    }
    List<KeyId> keys = new ArrayList<>();
    for (String text : keyIds) {
      keys.add(
          KeyId.parse(text)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--keys '" + text + "' is not a key id (" + KeyId.SYNTAX + ")")));
    }
    EvidenceType type = evidence.type();
    String own = System.getProperty("user.name");
    List<String> users = allowUsers == null || allowUsers.isEmpty() ? List.of(own) : allowUsers;
    Set<UserPrincipal> allowed = principals(users);
    KbsClient client =
        new KbsClient(
            upstream, TlsFiles.context(tlsCert, tlsKey, tlsCa), evidence.attester(), type, false);
    CachedKeys cache =
        new CachedKeys(client, keys, Duration.ofSeconds(ttlSeconds), Clock.systemUTC());
    PrintWriter out = spec.commandLine().getOut();
    String insecure = type.hardwareBacked() ? "" : " [" + SampleAttester.WARNING + "]";
    cache.refresh();
    KeyCacheServer server =
        KeyCacheServer.start(socket, cache, allowed, users.equals(List.of(own)), out, insecure);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    TerminalText.println(
        out,
        "sentry-keycache: attested to "
            + upstream
            + " with "
            + type.id()
            + " evidence, holding "
            + keys.size()
            + " keys for "
            + ttlSeconds
            + " s, serving "
            + socket
            + " to "
            + users
            + insecure);
    out.flush();
    if (readyFile != null) {
      AtomicFile.write(readyFile, (socket + "\n").getBytes(StandardCharsets.UTF_8));
    }
    stopped.await();
    return 0;
  }

  static Set<UserPrincipal> principals(List<String> names) {
    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    Set<UserPrincipal> principals = new LinkedHashSet<>();
    for (String name : names) {
      try {
        principals.add(lookup.lookupPrincipalByName(name));
      } catch (IOException e) {
        throw new UsageException("--allow-user '" + name + "' is not a user of this system", e);
      }
    }
    return principals;
  }
}
