package org.sentryml.confidential.broker;

import com.google.crypto.tink.StreamingAead;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.confidential.encryption.StreamingScheme;
import org.sentryml.core.errors.BackendUnavailableException;

/**
 * Data keys from a local key cache ({@code sentry-keycache serve}) over its Unix socket: one
 * connection per key, answered as {@link KeyCacheProtocol} defines. The cache checks this process's
 * uid; nothing here holds a key beyond the primitive returned. Thread-safe.
 */
public final class KeyCacheClient implements DataKeys {
  private final Path socket;

  public KeyCacheClient(Path socket) {
    this.socket = Objects.requireNonNull(socket, "socket");
  }

  /**
   * @throws BackendUnavailableException when no key cache listens on the socket
   */
  @Override
  public StreamingAead streamingAead(KeyId id) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      try {
        KeyCacheProtocol.write(channel, KeyCacheProtocol.request(id));
      } catch (IOException e) {
        // A cache that refuses this user answers and closes before reading: read its answer.
      }
      byte[] answer = KeyCacheProtocol.readLine(channel);
      return StreamingScheme.primitive(
          KeyCacheProtocol.parseAnswer(answer, socket.toString()), Path.of(id.toString()));
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "no key cache answers on " + socket + ": " + e.getMessage(), e);
    }
  }
}
