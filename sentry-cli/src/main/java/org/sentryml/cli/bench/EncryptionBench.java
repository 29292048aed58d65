package org.sentryml.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.sentryml.confidential.encryption.ArtifactKind;
import org.sentryml.confidential.encryption.DataKeys;
import org.sentryml.confidential.encryption.EncryptedFolder;
import org.sentryml.confidential.encryption.EncryptedFolderWriter;
import org.sentryml.confidential.encryption.EncryptionHeader;
import org.sentryml.confidential.encryption.EphemeralKeys;
import org.sentryml.confidential.encryption.KeyId;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.FileTrees;

/**
 * {@code sentry bench --encryption}: encryption and decryption throughput of the streaming API on
 * one file on one thread and on a folder of files on every core, each as a ratio to {@code openssl
 * speed -evp aes-256-gcm} measured in the same run just before it (one process for the per-core
 * ceiling, {@code -multi} for all cores). The input comes from the page cache; ciphertext is
 * written beside it and read back from the page cache; plaintext is decrypted into memory and
 * dropped, as a consumer would use it. Each Sentry row is the fastest of its runs (the first run of
 * a path also warms the JIT for it). Keys are ephemeral.
 */
public final class EncryptionBench {
  private static final KeyId ID = new KeyId(ArtifactKind.MODEL, "bench", "1");
  private static final int OPENSSL_SECONDS = 2;

  /** A fresh JVM's first encryption, before and while the JIT compiles AES-GCM. */
  private static final long COLD_BYTES = 256L << 20;

  private final Path input;
  private final long size;

  /** The first run of a code path also warms the JIT for it, so there are at least two. */
  private final int runs;

  private final int cores = Runtime.getRuntime().availableProcessors();
  private final @Nullable Path scratch;

  /**
   * @param repeat runs of each Sentry measurement, at least two; the fastest counts
   */
  public EncryptionBench(Path input, long size, int repeat) {
    this(input, size, repeat, null);
  }

  /**
   * As {@link #EncryptionBench(Path, long, int)}, with ciphertext written into {@code scratch}
   * (null: {@code /dev/shm} when it has room, else beside the input).
   */
  EncryptionBench(Path input, long size, int repeat, @Nullable Path scratch) {
    this.input = input;
    this.size = size;
    this.runs = Math.max(2, repeat);
    this.scratch = scratch;
  }

  /** openssl's AES-256-GCM rate on one process and on every core, measured just before a row. */
  record Ceiling(double perCore, double allCores) {}

  /** Prints one Markdown row per measurement as it completes. */
  public void run(PrintWriter out) {
    BenchFile.ensure(input, size);
    BenchFile.warm(input);
    Path parent = input.toAbsolutePath().getParent();
    Path scratch = this.scratch != null ? this.scratch : scratchFolder(parent);
    DataKeys keys = new EphemeralKeys();
    out.printf(
        Locale.ROOT,
        "input: %s (%d bytes, page cache warmed); ciphertext written to %s; cores: %d; JVM %s%n",
        input,
        size,
        scratch,
        cores,
        System.getProperty("java.vm.version"));
    out.printf(
        Locale.ROOT,
        "ratios are to openssl speed -evp aes-256-gcm -bytes 16384 (one process, and -multi %d),"
            + " %d s each, run just before each row%n",
        cores,
        OPENSSL_SECONDS);
    out.println(
        "| run | threads | GB/s | openssl 1 core GB/s | × per core | openssl all cores GB/s | × all cores |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    out.flush();

    // First, while this JVM has not run AES-GCM yet: what a short-lived process sees.
    long coldBytes = Math.min(size, COLD_BYTES);
    double cold = time(() -> encryptPrefix(keys, scratch, coldBytes), coldBytes);
    row(
        out,
        "sentry encrypt, the first " + (coldBytes >> 20) + " MiB in a fresh JVM (JIT warming up)",
        1,
        cold,
        ceiling());

    Path copy = scratch.resolve(".sentry-bench-copy.bin");
    Ceiling before = ceiling();
    row(
        out,
        "copy 1 file, no encryption (the write path alone)",
        1,
        fastestWriting(() -> deleteQuietly(copy), () -> copy(input, copy), size),
        before);
    deleteQuietly(copy);
    Path oneFile = temporaryFolder(scratch, "one");
    try {
      before = ceiling();
      double encrypt =
          fastestWriting(
              () -> freshFolder(oneFile),
              () -> encryptFiles(keys, oneFile, Map.of("input.bin", input), 1),
              size);
      row(out, "sentry encrypt 1 file (file to file, forced to disk)", 1, encrypt, before);
      before = ceiling();
      row(
          out,
          "sentry encrypt 1 file (file to memory: the stream, ciphertext dropped)",
          1,
          fastest(() -> encryptToNothing(keys, input), size),
          before);
      EncryptedFolder folder = EncryptedFolder.open(oneFile, keys);
      before = ceiling();
      row(
          out,
          "sentry decrypt 1 file (stream to memory)",
          1,
          fastest(() -> drainStream(folder, "input.bin"), size),
          before);
      before = ceiling();
      row(
          out,
          "sentry decrypt 1 file (seekable channel to memory)",
          1,
          fastest(() -> drainChannel(folder, "input.bin"), size),
          before);
    } finally {
      FileTrees.deleteQuietly(oneFile);
    }

    int files = 4 * cores;
    Path part = parent.resolve(".sentry-bench-part-" + size / files + ".bin");
    Path folderInput = temporaryFolder(parent, "folder-in");
    Path folderOut = temporaryFolder(scratch, "folder-out");
    try {
      // One file of size/N bytes linked N times: the folder has the input's size but costs its page
      // cache only once.
      BenchFile.ensure(part, size / files);
      BenchFile.warm(part);
      Map<String, Path> sources = new LinkedHashMap<>();
      for (int i = 0; i < files; i++) {
        Path link = folderInput.resolve(String.format(Locale.ROOT, "part-%02d.bin", i));
        Files.createLink(link, part);
        sources.put(link.getFileName().toString(), link);
      }
      long total = (size / files) * files;
      before = ceiling();
      double encrypt =
          fastestWriting(
              () -> freshFolder(folderOut),
              () -> encryptFiles(keys, folderOut, sources, cores),
              total);
      row(
          out,
          "sentry encrypt folder of " + files + " files (files to files)",
          cores,
          encrypt,
          before);
      EncryptedFolder folder = EncryptedFolder.open(folderOut, keys);
      before = ceiling();
      row(
          out,
          "sentry decrypt folder of " + files + " files (streams to memory)",
          cores,
          fastest(() -> drainAll(folder, cores), total),
          before);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(folderInput, e);
    } finally {
      FileTrees.deleteQuietly(folderInput);
      FileTrees.deleteQuietly(folderOut);
      deleteQuietly(part);
    }
  }

  private Ceiling ceiling() {
    double perCore = OpensslSpeed.measure(1, OPENSSL_SECONDS);
    return new Ceiling(perCore, cores > 1 ? OpensslSpeed.measure(cores, OPENSSL_SECONDS) : perCore);
  }

  /**
   * Where ciphertext goes: {@code /dev/shm} (memory, as the page cache is) when it has room, so
   * that forcing files to disk, which the writer does, measures no disk; else beside the input.
   */
  private Path scratchFolder(Path parent) {
    Path shm = Path.of("/dev/shm");
    try {
      if (Files.isDirectory(shm)
          && Files.isWritable(shm)
          && Files.getFileStore(shm).getUsableSpace() > 2 * size + (1L << 30)) {
        return shm;
      }
    } catch (IOException e) {
      // No usable tmpfs: the input's folder it is.
    }
    return parent;
  }

  /**
   * The same reads and writes as encrypting a file, without the encryption: the floor of the I/O.
   */
  private static void copy(Path from, Path to) {
    byte[] buffer = new byte[1 << 20];
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      while (in.read(wrapped.clear()) >= 0) {
        wrapped.flip();
        while (wrapped.hasRemaining()) {
          out.write(wrapped);
        }
      }
      out.force(true);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(to, e);
    }
  }

  /**
   * The data key's streaming primitive, as {@link EncryptedFolderWriter} drives it (1 MiB reads of
   * the file into its stream), writing the ciphertext nowhere: encryption without the write path.
   */
  private static void encryptToNothing(DataKeys keys, Path file) {
    byte[] buffer = new byte[1 << 20];
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        OutputStream ciphertext =
            keys.streamingAead(ID)
                .newEncryptingStream(OutputStream.nullOutputStream(), new byte[0])) {
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      while (in.read(wrapped.clear()) >= 0) {
        ciphertext.write(buffer, 0, wrapped.position());
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("encrypting into memory failed", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover is hidden and regenerated or replaced by the next run.
    }
  }

  /** The best rate of {@code work} over its runs. */
  private double fastest(Runnable work, long bytes) {
    return fastestWriting(() -> {}, work, bytes);
  }

  /**
   * As {@link #fastest}, with {@code prepare} run untimed before each run (to clear its output).
   */
  private double fastestWriting(Runnable prepare, Runnable work, long bytes) {
    double best = 0;
    for (int run = 0; run < runs; run++) {
      prepare.run();
      best = Math.max(best, time(work, bytes));
    }
    return best;
  }

  /** {@code folder}, empty: deleted with what an earlier run wrote into it, and created again. */
  private static void freshFolder(Path folder) {
    FileTrees.deleteQuietly(folder);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(folder, e);
    }
  }

  /** Bytes per second of {@code work} over {@code bytes}. */
  private static double time(Runnable work, long bytes) {
    long start = System.nanoTime();
    work.run();
    return bytes / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * A Markdown row: the rate; openssl's rate on one core and the rate per thread as a ratio to it;
   * openssl's rate on all cores and the rate as a ratio to it.
   */
  static String format(String label, int threads, double rate, Ceiling openssl) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f |",
        label,
        threads,
        rate / 1e9,
        openssl.perCore() / 1e9,
        rate / threads / openssl.perCore(),
        openssl.allCores() / 1e9,
        rate / openssl.allCores());
  }

  private static void row(
      PrintWriter out, String label, int threads, double rate, Ceiling openssl) {
    out.println(format(label, threads, rate, openssl));
    out.flush();
  }

  /**
   * Encrypts the first {@code bytes} of the input, streamed, into a folder that is then deleted.
   */
  private void encryptPrefix(DataKeys keys, Path parent, long bytes) {
    Path folder = temporaryFolder(parent, "cold");
    byte[] buffer = new byte[1 << 20];
    try (EncryptedFolderWriter writer =
            EncryptedFolderWriter.create(folder, ID, keys, EncryptionHeader.Layout.FOLDER);
        InputStream in = Files.newInputStream(input)) {
      try (OutputStream stream = writer.newFile("cold.bin")) {
        for (long left = bytes; left > 0; ) {
          int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
          stream.write(buffer, 0, n);
          left -= n;
        }
      }
      writer.finish();
    } catch (IOException e) {
      throw PathProblems.classify(input, e);
    } finally {
      FileTrees.deleteQuietly(folder);
    }
  }

  private static void encryptFiles(
      DataKeys keys, Path folder, Map<String, Path> sources, int threads) {
    try (EncryptedFolderWriter writer =
        EncryptedFolderWriter.create(folder, ID, keys, EncryptionHeader.Layout.FOLDER)) {
      writer.encryptFiles(sources, threads);
      writer.finish();
    }
  }

  private static long drainStream(EncryptedFolder folder, String path) {
    byte[] buffer = new byte[1 << 20];
    long total = 0;
    try (InputStream in = folder.newInputStream(path)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
      }
    } catch (IOException e) {
      throw PathProblems.classify(folder.folder().resolve(path), e);
    }
    return total;
  }

  private static void drainChannel(EncryptedFolder folder, String path) {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    try (SeekableByteChannel channel = folder.newSeekableChannel(path)) {
      while (channel.read(buffer.clear()) >= 0) {
        // The plaintext is dropped: its decryption is what is measured.
      }
    } catch (IOException e) {
      throw PathProblems.classify(folder.folder().resolve(path), e);
    }
  }

  /** Decrypts every file of {@code folder} into memory, {@code threads} files at a time. */
  private static void drainAll(EncryptedFolder folder, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> tasks = new ArrayList<>();
      for (EncryptionHeader.FileEntry file : folder.files()) {
        tasks.add(pool.submit(() -> drainStream(folder, file.path())));
      }
      for (Future<Long> task : tasks) {
        task.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decrypting", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Path temporaryFolder(Path parent, String name) {
    try {
      return Files.createTempDirectory(parent, ".sentry-bench-" + name + "-");
    } catch (IOException e) {
      throw PathProblems.classifyWrite(parent, e);
    }
  }
}
