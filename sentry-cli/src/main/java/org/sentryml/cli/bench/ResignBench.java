package org.sentryml.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.io.FileTrees;

/**
 * {@code sentry bench --resign}: the edit-and-re-sign cycle of a large model, as whole processes
 * through the launcher. A model of one large file (the bench file) and a README is signed in full
 * once, the reference; then, after each README edit, it is re-signed with {@code --reuse} (the stat
 * cache vouches for the large file, so only the README is hashed) and checked with {@code verify
 * --only README.md}. Both are start-up bound, so each row is also a ratio to the full signing of
 * the same run.
 *
 * <p>The model lives in a scratch folder with a hard link to the bench file (a copy where the file
 * system refuses links), its keys and its stat cache ({@code XDG_CACHE_HOME} points there); all of
 * it is deleted afterwards. The bench file is left as it is.
 */
public final class ResignBench {
  /**
   * The stat cache vouches only for files whose mtime and ctime lie more than 2 s before it was
   * written (git's "racily clean" rule); making the link moves the file's ctime.
   */
  private static final long RACY_MILLIS = 2_100;

  private final Path input;
  private final long size;
  private final int runs;
  private final List<String> sentry;
  private final @Nullable Path scratchParent;

  /**
   * @param repeat README edits, each followed by one re-sign and one verify
   * @param sentry the command that starts {@code sentry}
   * @param scratchParent where the scratch folder goes (on the bench file's file system, so that
   *     the link works); null for the temporary folder
   */
  public ResignBench(
      Path input, long size, int repeat, List<String> sentry, @Nullable Path scratchParent) {
    this.input = input;
    this.size = size;
    this.runs = repeat;
    this.sentry = List.copyOf(sentry);
    this.scratchParent = scratchParent;
  }

  public void run(PrintWriter out) {
    BenchFile.ensure(input, size);
    BenchFile.warm(input);
    Path scratch;
    try {
      scratch =
          scratchParent == null
              ? Files.createTempDirectory("sentry-bench-resign-")
              : Files.createTempDirectory(scratchParent, "sentry-bench-resign-");
    } catch (IOException e) {
      throw new IoFailureException("cannot create a scratch folder: " + e.getMessage(), e);
    }
    try {
      Path model = scratch.resolve("model");
      Path keys = scratch.resolve("keys");
      Map<String, String> environment =
          Map.of("XDG_CACHE_HOME", scratch.resolve("cache").toString());
      link(model);
      edit(model, 0);
      MeasuredRun.of(command("keygen", "--out", keys.toString()), environment);
      sleep(RACY_MILLIS);
      List<String> signing =
          command(
              "sign",
              model.toString(),
              "-q",
              "--force",
              "private-key",
              "--private_key",
              keys.resolve("private.pem").toString());
      MeasuredRun full = MeasuredRun.of(signing, environment);
      List<String> resigning = new ArrayList<>(signing);
      resigning.addAll(
          resigning.indexOf("--force") + 1,
          List.of("--reuse", model.resolve("model.sig").toString()));
      List<String> verifying =
          command(
              "verify",
              model.toString(),
              "-q",
              "--only",
              "README.md",
              "private-key",
              "--public_key",
              keys.resolve("public.pem").toString());
      List<MeasuredRun> resigned = new ArrayList<>();
      List<MeasuredRun> verified = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        edit(model, i);
        MeasuredRun run = MeasuredRun.of(resigning, environment);
        if (!run.output().contains("reused 1 digests")) {
          throw new IoFailureException(
              "the re-signing hashed the large file again, so it measures nothing: "
                  + run.output().strip());
        }
        resigned.add(run);
        verified.add(MeasuredRun.of(verifying, environment));
      }
      out.println(
          "| command | runs (s) | fastest s | median s | user s | sys s | × the full signing |");
      out.println("|---|---|---:|---:|---:|---:|---:|");
      out.println(row("sign (full, the reference)", List.of(full), full.seconds()));
      out.println(row("sign --reuse after a README edit", resigned, full.seconds()));
      out.println(row("verify --only README.md", verified, full.seconds()));
      out.flush();
    } finally {
      FileTrees.deleteQuietly(scratch);
    }
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(sentry);
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** {@code model/model.bin}: the bench file itself, without copying its bytes where possible. */
  private void link(Path model) {
    Path file = model.resolve("model.bin");
    try {
      Files.createDirectories(model);
      try {
        Files.createLink(file, input.toAbsolutePath());
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(input, file);
      }
    } catch (IOException e) {
      throw PathProblems.classifyWrite(file, e);
    }
  }

  private static void edit(Path model, int edit) {
    Path readme = model.resolve("README.md");
    try {
      Files.writeString(readme, "# bench model\n\nedit " + edit + "\n");
    } catch (IOException e) {
      throw PathProblems.classifyWrite(readme, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IoFailureException("interrupted while waiting out the stat cache's racy window", e);
    }
  }

  /** A row: every run, the fastest and the median, the fastest run's CPU times, and the ratio. */
  static String row(String what, List<MeasuredRun> runs, double reference) {
    List<MeasuredRun> byTime =
        runs.stream().sorted(Comparator.comparingDouble(MeasuredRun::seconds)).toList();
    int n = byTime.size();
    double median =
        n % 2 == 1
            ? byTime.get(n / 2).seconds()
            : (byTime.get(n / 2 - 1).seconds() + byTime.get(n / 2).seconds()) / 2;
    MeasuredRun fastest = byTime.get(0);
    String each =
        runs.stream()
            .map(run -> String.format(Locale.ROOT, "%.2f", run.seconds()))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.3f |",
        what,
        each,
        fastest.seconds(),
        median,
        fastest.userSeconds(),
        fastest.sysSeconds(),
        fastest.seconds() / reference);
  }
}
