package org.sentryml.confidential.broker;

import com.google.crypto.tink.StreamingAead;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.core.errors.BackendUnavailableException;

/**
 * Data keys from a local key cache ({@code sentry-keycache serve}) over its Unix socket: one
 * connection per key, answered as {@link KeyCacheProtocol} defines. The cache checks this process's
 * uid; nothing here holds a key beyond the primitive returned. As {@link CheckpointRecorder}, the
 * cache forwards each checkpoint operation to its key server: an agent that gets its keys from a
 * cache holds no client certificate of its own to attest with, so the cache's is the one the key
 * server binds the run's records to. Thread-safe.
 */
public final class KeyCacheClient implements BrokerClient {
  private final Path socket;

  public KeyCacheClient(Path socket) {
    this.socket = Objects.requireNonNull(socket, "socket");
  }

  @Override
  public void recordCheckpoint(String runId, CheckpointRecord record) {
    checkpoint(
        new KeyCacheProtocol.CheckpointRequest(
            KeyCacheProtocol.CheckpointOperation.RECORD, runId, Optional.of(record)));
  }

  @Override
  public Optional<CheckpointRecord> latestCheckpoint(String runId) {
    return checkpoint(
        new KeyCacheProtocol.CheckpointRequest(
            KeyCacheProtocol.CheckpointOperation.LATEST, runId, Optional.empty()));
  }

  @Override
  public void finishCheckpoints(String runId) {
    checkpoint(
        new KeyCacheProtocol.CheckpointRequest(
            KeyCacheProtocol.CheckpointOperation.FINISH, runId, Optional.empty()));
  }

  @Override
  public String describe() {
    return "key cache " + socket;
  }

  private Optional<CheckpointRecord> checkpoint(KeyCacheProtocol.CheckpointRequest request) {
    return exchange(
        KeyCacheProtocol.request(request),
        answer -> KeyCacheProtocol.parseCheckpointAnswer(answer, socket.toString()));
  }

  /**
   * @throws BackendUnavailableException when no key cache listens on the socket
   */
  @Override
  public StreamingAead streamingAead(KeyId id) {
    return exchange(
        KeyCacheProtocol.request(id),
        answer ->
            StreamingScheme.primitive(
                KeyCacheProtocol.parseAnswer(answer, socket.toString()), Path.of(id.toString())));
  }

  /** One connection: {@code request} out, one answer line in, read by {@code read}. */
  private <T> T exchange(byte[] request, Function<byte[], T> read) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      try {
        KeyCacheProtocol.write(channel, request);
      } catch (IOException e) {
        // A cache that refuses this user answers and closes before reading: read its answer.
      }
      return read.apply(KeyCacheProtocol.readLine(channel));
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "no key cache answers on " + socket + ": " + e.getMessage(), e);
    }
  }
}
