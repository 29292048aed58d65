package org.sentryml.confidential.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sentryml.core.errors.MalformedInputException;

/**
 * The one streaming AEAD of format v1: Tink's {@code AES256_GCM_HKDF_1MB} (a 32-byte key, a
 * per-file AES-256-GCM key derived with HKDF-SHA256 from it, a random salt and the associated data;
 * 1 MiB ciphertext segments, each authenticated with its index and a last-segment flag, so
 * reordering, truncation and appending are detected). Data keys are Tink keysets of such keys;
 * application code holds only the {@link StreamingAead} primitive. Stateless and thread-safe.
 */
public final class StreamingScheme {
  /** The Tink parameters name, as the header's {@code encryption} field writes it. */
  public static final String NAME = "AES256_GCM_HKDF_1MB";

  /** Bytes of a ciphertext segment; segment i starts at ciphertext offset i × SEGMENT_SIZE. */
  public static final int SEGMENT_SIZE = 1 << 20;

  /**
   * Tink's stream header: its own length (1 byte), the 32-byte HKDF salt, the 7-byte nonce prefix.
   */
  static final int HEADER_BYTES = 1 + 32 + 7;

  /** The GCM tag that ends every segment. */
  static final int TAG_BYTES = 16;

  /** Plaintext bytes of the first segment, which also holds the stream header. */
  static final long FIRST_SEGMENT_PLAINTEXT = SEGMENT_SIZE - HEADER_BYTES - TAG_BYTES;

  /** Plaintext bytes of every later segment. */
  static final long SEGMENT_PLAINTEXT = SEGMENT_SIZE - TAG_BYTES;

  private static final AesGcmHkdfStreamingParameters PARAMETERS =
      PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB;

  /** Files from this size on start the warm-up of the JDK's AES-GCM code (see warmUpFor). */
  private static final long WARM_UP_THRESHOLD = 16L << 20;

  private static final AtomicBoolean WARMING = new AtomicBoolean();

  static {
    try {
      StreamingAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink's streaming AEAD cannot be registered", e);
    }
  }

  private StreamingScheme() {}

  /**
   * The exact ciphertext size of {@code plaintextSize} bytes: Tink writes at least one segment, and
   * a plaintext that fills its last segment exactly gets no empty segment after it.
   *
   * @throws ArithmeticException if the ciphertext would not fit a long
   */
  public static long ciphertextSize(long plaintextSize) {
    if (plaintextSize < 0) {
      throw new IllegalArgumentException("negative plaintext size " + plaintextSize);
    }
    long segments =
        plaintextSize <= FIRST_SEGMENT_PLAINTEXT
            ? 1
            : 1
                + (plaintextSize - FIRST_SEGMENT_PLAINTEXT + SEGMENT_PLAINTEXT - 1)
                    / SEGMENT_PLAINTEXT;
    return Math.addExact(
        HEADER_BYTES + plaintextSize, Math.multiplyExact(segments, (long) TAG_BYTES));
  }

  /** A new data keyset: one key of this scheme, primary. */
  public static KeysetHandle newKeyset() {
    try {
      return KeysetHandle.generateNew(PARAMETERS, RegistryConfiguration.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot generate an " + NAME + " key", e);
    }
  }

  /**
   * {@code keyset} with a new key of this scheme as its primary; the old keys stay for decryption.
   */
  public static KeysetHandle rotate(KeysetHandle keyset) {
    try {
      return KeysetHandle.newBuilder(keyset)
          .addEntry(
              KeysetHandle.generateEntryFromParameters(PARAMETERS).withRandomId().makePrimary())
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot add an " + NAME + " key", e);
    }
  }

  /**
   * {@code keyset} encrypted under {@code keyEncryption} with {@code associatedData}, in Tink's
   * JSON encrypted-keyset format (ciphertext and key ids; no key material in clear).
   */
  public static String encryptKeyset(KeysetHandle keyset, Aead keyEncryption, byte[] associatedData)
      throws GeneralSecurityException {
    return TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(
        keyset, keyEncryption, associatedData, RegistryConfiguration.get());
  }

  /**
   * The keyset that {@link #encryptKeyset} wrote. Parsed here, where this scheme's key type is
   * registered: parsed before, its keys would be opaque to {@link #primitive}.
   *
   * @throws GeneralSecurityException when the ciphertext does not authenticate or does not parse
   */
  public static KeysetHandle decryptKeyset(
      String encrypted, Aead keyEncryption, byte[] associatedData) throws GeneralSecurityException {
    return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
        encrypted, keyEncryption, associatedData, RegistryConfiguration.get());
  }

  /**
   * {@code keyset} in clear, as Tink's JSON keyset: only for handing a data key to an attested host
   * inside a JWE encrypted to that host's ephemeral key, or to a local agent over a key cache's
   * peer-checked Unix socket. Never written to a file or a log.
   */
  public static String exportForRelease(KeysetHandle keyset) {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(
          keyset, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot serialize a data keyset", e);
    }
  }

  /**
   * The keyset {@link #exportForRelease} wrote, parsed where this scheme is registered.
   *
   * @throws GeneralSecurityException when it is not a Tink JSON keyset
   */
  public static KeysetHandle importReleased(String json) throws GeneralSecurityException {
    return TinkJsonProtoKeysetFormat.parseKeyset(
        json, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
  }

  /**
   * The primitive of a data keyset whose every key is of this scheme, so that the segment size a
   * header records is the one each key uses.
   *
   * @param source the file (or other origin) of the keyset, for messages
   * @throws MalformedInputException naming {@code source} for a key of another kind
   */
  public static StreamingAead primitive(KeysetHandle keyset, Path source) {
    for (int i = 0; i < keyset.size(); i++) {
      boolean ours;
      try {
        ours = PARAMETERS.equals(keyset.getAt(i).getKey().getParameters());
      } catch (IllegalStateException e) {
        // Tink parses an entry's key material only when it is asked for it.
        ours = false;
      }
      if (!ours) {
        throw new MalformedInputException(
            source,
            "key "
                + source
                + " holds a key that is not "
                + NAME
                + " (key "
                + (i + 1)
                + " of "
                + keyset.size()
                + ")",
            null);
      }
    }
    try {
      return keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    } catch (GeneralSecurityException e) {
      throw new MalformedInputException(
          source, "key " + source + " has no usable " + NAME + " primitive", null);
    }
  }

  /**
   * Starts, once per JVM and only for a file of at least 16 MiB, a background thread that runs the
   * JDK's AES-GCM through Tink on 4 KiB segments for about half a second. The JDK's AES-GCM
   * intrinsic runs only once the JIT has compiled its callers, which takes thousands of calls: with
   * 1 MiB segments a process would otherwise decrypt its first ~600 MiB at 40 MB/s (measured, see
   * docs/BENCHMARKS.md) instead of gigabytes per second. The thread uses a throwaway key.
   */
  static void warmUpFor(long bytes) {
    if (bytes >= WARM_UP_THRESHOLD && !WARMING.get() && WARMING.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon().name("sentry-aes-gcm-warm-up").start(StreamingScheme::warmUp);
    }
  }

  private static void warmUp() {
    try {
      AesGcmHkdfStreamingParameters small =
          AesGcmHkdfStreamingParameters.builder()
              .setKeySizeBytes(32)
              .setDerivedAesGcmKeySizeBytes(32)
              .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
              .setCiphertextSegmentSizeBytes(4096 + HEADER_BYTES + TAG_BYTES)
              .build();
      StreamingAead aead =
          KeysetHandle.generateNew(small, RegistryConfiguration.get())
              .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
      byte[] plaintext = new byte[1 << 20];
      byte[] associatedData = new byte[0];
      for (int round = 0; round < 32; round++) {
        ByteArrayOutputStream ciphertext =
            new ByteArrayOutputStream(plaintext.length + (plaintext.length >> 6));
        try (OutputStream out = aead.newEncryptingStream(ciphertext, associatedData)) {
          out.write(plaintext);
        }
        try (InputStream in =
            aead.newDecryptingStream(
                new ByteArrayInputStream(ciphertext.toByteArray()), associatedData)) {
          while (in.read(plaintext) >= 0) {
            // Decrypting is the point.
          }
        }
      }
    } catch (GeneralSecurityException | IOException e) {
      // Only speed depends on the warm-up; real work reports its own failures.
    }
  }
}
