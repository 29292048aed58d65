package org.sentryml.agent.keycache;

import com.google.crypto.tink.KeysetHandle;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.sentryml.clisupport.TerminalText;
import org.sentryml.confidential.broker.CheckpointRecord;
import org.sentryml.confidential.broker.CheckpointRecorder;
import org.sentryml.confidential.broker.KeyCacheProtocol;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.errors.BackendUnavailableException;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.errors.VerificationFailedException;

/**
 * The key cache's Unix socket: each connection's peer user, as the kernel reports it ({@code
 * SO_PEERCRED}), must be on the allow-list before a byte is read; then one request, one answer
 * ({@link KeyCacheProtocol}): a key it holds, or a checkpoint operation forwarded to its key
 * server. The socket file is created mode 0600 when only this process's own user is allowed, else
 * 0666 (the peer check is the gate). A stale socket file from an earlier run is replaced; any other
 * file at the path is refused. One virtual thread per connection.
 */
final class KeyCacheServer implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Path socket;
  private final CachedKeys keys;
  private final Set<UserPrincipal> allowed;
  private final PrintWriter log;
  private final String insecureNote;
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread acceptor;

  private KeyCacheServer(
      ServerSocketChannel server,
      Path socket,
      CachedKeys keys,
      Set<UserPrincipal> allowed,
      PrintWriter log,
      String insecureNote) {
    this.server = server;
    this.socket = socket;
    this.keys = keys;
    this.allowed = Set.copyOf(allowed);
    this.log = log;
    this.insecureNote = insecureNote;
    this.acceptor =
        Thread.ofPlatform().name("sentry-keycache-accept").daemon().unstarted(this::acceptLoop);
  }

  /**
   * Binds {@code socket} and starts answering.
   *
   * @param insecureNote appended to every log line ("" for hardware evidence)
   */
  static KeyCacheServer start(
      Path socket,
      CachedKeys keys,
      Set<UserPrincipal> allowed,
      boolean onlyOwnUser,
      PrintWriter log,
      String insecureNote) {
    try {
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        BasicFileAttributes attributes =
            Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isOther()) {
          throw new PathException(
              PathException.Kind.NOT_A_REGULAR_FILE,
              socket,
              socket + " exists and is not a socket; refusing to replace it",
              null);
        }
        Files.delete(socket);
      }
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(
          socket, PosixFilePermissions.fromString(onlyOwnUser ? "rw-------" : "rw-rw-rw-"));
      KeyCacheServer cache = new KeyCacheServer(server, socket, keys, allowed, log, insecureNote);
      cache.acceptor.start();
      return cache;
    } catch (IOException e) {
      throw new IoFailureException(socket, "cannot listen on " + socket + ": " + e.getMessage(), e);
    }
  }

  /** The socket it serves. */
  Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        connections.execute(() -> answer(channel));
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        logLine("accept failed: " + e.getMessage());
      }
    }
  }

  private void answer(SocketChannel channel) {
    try (channel) {
      UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!allowed.contains(peer.user())) {
        logLine("refused user " + peer.user().getName() + ": not on the allow-list");
        KeyCacheProtocol.write(
            channel,
            KeyCacheProtocol.error(
                KeyCacheProtocol.Failure.REFUSED,
                "user " + peer.user().getName() + " is not allowed to use this key cache"));
        return;
      }
      byte[] answer;
      String what = "a request";
      try {
        KeyCacheProtocol.Request request =
            KeyCacheProtocol.parse(KeyCacheProtocol.readLine(channel));
        switch (request) {
          case KeyCacheProtocol.KeyRequest key -> {
            what = key.id().toString();
            answer = key(key.id(), peer);
          }
          case KeyCacheProtocol.CheckpointRequest checkpoint -> {
            what =
                "checkpoint "
                    + checkpoint.operation().name().toLowerCase(Locale.ROOT)
                    + " of run "
                    + checkpoint.runId();
            answer = checkpoint(checkpoint);
            logLine("forwarded " + what + " for user " + peer.user().getName());
          }
        }
      } catch (VerificationFailedException e) {
        answer = KeyCacheProtocol.error(KeyCacheProtocol.Failure.REFUSED, e.getMessage());
        logLine("refused " + what + ": " + e.getMessage());
      } catch (PathException e) {
        answer = KeyCacheProtocol.error(KeyCacheProtocol.Failure.NOT_FOUND, e.getMessage());
        logLine("refused " + what + ": " + e.getMessage());
      } catch (BackendUnavailableException | IoFailureException e) {
        answer = KeyCacheProtocol.error(KeyCacheProtocol.Failure.UNAVAILABLE, e.getMessage());
        logLine("cannot serve " + what + ": " + e.getMessage());
      } catch (SentryException e) {
        answer = KeyCacheProtocol.error(KeyCacheProtocol.Failure.REFUSED, e.getMessage());
        logLine("refused " + what + ": " + e.getMessage());
      }
      KeyCacheProtocol.write(channel, answer);
    } catch (IOException e) {
      logLine("a connection failed: " + e.getMessage());
    }
  }

  private byte[] key(KeyId id, UnixDomainPrincipal peer) {
    Optional<KeysetHandle> keyset = keys.get(id);
    if (keyset.isEmpty()) {
      logLine(
          "refused " + id + " to user " + peer.user().getName() + ": not one of the cache's keys");
      return KeyCacheProtocol.error(
          KeyCacheProtocol.Failure.NOT_FOUND, "this key cache does not hold " + id);
    }
    logLine("released " + id + " to user " + peer.user().getName());
    return KeyCacheProtocol.keyset(keyset.get());
  }

  /**
   * Forwards a checkpoint operation to the key server, which binds the run to this cache's client
   * certificate: every allowed local user shares it, as they share the cache's keys.
   */
  private byte[] checkpoint(KeyCacheProtocol.CheckpointRequest request) {
    CheckpointRecorder upstream = keys.checkpoints();
    return switch (request.operation()) {
      case RECORD -> {
        CheckpointRecord record = request.record().orElseThrow();
        upstream.recordCheckpoint(request.runId(), record);
        yield KeyCacheProtocol.checkpoint(Optional.of(record));
      }
      case LATEST -> KeyCacheProtocol.checkpoint(upstream.latestCheckpoint(request.runId()));
      case FINISH -> {
        upstream.finishCheckpoints(request.runId());
        yield KeyCacheProtocol.checkpoint(Optional.empty());
      }
    };
  }

  private void logLine(String text) {
    synchronized (log) {
      TerminalText.println(log, "sentry-keycache: " + text + insecureNote);
      log.flush();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // Closing at shutdown: the socket file is replaced on the next start anyway.
    }
    connections.shutdownNow();
  }
}
