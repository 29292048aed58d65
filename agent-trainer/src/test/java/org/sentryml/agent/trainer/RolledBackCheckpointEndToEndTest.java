package org.sentryml.agent.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.agent.dataset.DatasetAgent;
import org.sentryml.agent.keyserver.KeyServerFixture;
import org.sentryml.agent.keyserver.Pki;
import org.sentryml.confidential.tee.ProgramJars;
import org.sentryml.confidential.tee.SampleAttester;
import org.sentryml.testkit.ChildJvm;
import org.sentryml.testkit.RepositoryFiles;
import org.sentryml.testkit.TestFiles;
import org.sentryml.testkit.TestTags;
import org.sentryml.training.checkpoint.FaultPoints;

/**
 * The trainer against a live key server over mutual TLS (attesting with sample evidence of its own
 * jars): it records each committed checkpoint there, so a checkpoint folder restored to an older
 * copy is refused on {@code --resume}, with exit code 1 and the steps named; and a key server that
 * cannot be reached on resume fails the run closed (exit code 4) instead of skipping the check.
 * Each trainer is a JVM of its own (two are killed at a fault point), run from jars: the sample
 * attester measures jars only, so the class path's folders of classes are packed into jars first.
 */
@Tag(TestTags.E2E)
@Tag(TestTags.SLOW)
class RolledBackCheckpointEndToEndTest {
  @TempDir Path dir;

  @Test
  void rolledBackCheckpointFolderWithAKeyServerIsRefused() throws Exception {
    Path dataset = prepareDataset();
    String classPath = jarredClassPath();
    // The trainer measures the jars it runs from; the policy accepts exactly those.
    String trainerJars =
        new SampleAttester(ProgramJars.of(classPath), List.of()).measurement().hex();
    Path checkpoints = dir.resolve("model.checkpoints");
    Path aside = dir.resolve("aside");
    try (KeyServerFixture server =
        new KeyServerFixture(dir.resolve("keyserver"), Clock.systemUTC(), List.of(trainerJars))) {
      Pki.Identity trainer = server.pki.client("trainer");
      List<String> keyServer =
          List.of(
              "--key-server",
              server.url().toString(),
              "--tls-cert",
              trainer.certificate().toString(),
              "--tls-key",
              trainer.key().toString(),
              "--tls-ca",
              server.pki.serverCaFile.toString(),
              "--attest-with",
              "sample");

      // A checkpoint every 2 steps, committed in the background; killed once the first (step 2)
      // is committed and recorded.
      assertTrue(
          trainer(classPath, args(dataset, keyServer, false), FaultPoints.AFTER_COMMIT + ":1")
              .killed());
      TestFiles.copyTree(checkpoints, aside, StandardCopyOption.COPY_ATTRIBUTES);
      // Resumed from step 2 and killed once its second checkpoint is committed: steps 4 and 6.
      assertTrue(
          trainer(classPath, args(dataset, keyServer, true), FaultPoints.AFTER_COMMIT + ":2")
              .killed());
      assertTrue(Files.isDirectory(checkpoints.resolve("step-000000000006")));

      TestFiles.deleteTree(checkpoints);
      TestFiles.copyTree(aside, checkpoints, StandardCopyOption.COPY_ATTRIBUTES);
      ChildJvm.Result refused = trainer(classPath, args(dataset, keyServer, true), "");
      assertEquals(1, refused.exit(), refused.all());
      assertTrue(refused.all().contains("was rolled back"), refused.all());
      assertTrue(
          refused
              .all()
              .contains("key server " + server.url() + " records checkpoint step-000000000006"),
          refused.all());
      assertTrue(refused.all().contains("newest there: step-000000000002"), refused.all());
      assertFalse(Files.exists(dir.resolve("signatures/model.sig")));

      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }
      List<String> nobody = new ArrayList<>(keyServer);
      nobody.set(1, "https://127.0.0.1:" + closedPort);
      ChildJvm.Result unreachable = trainer(classPath, args(dataset, nobody, true), "");
      assertEquals(4, unreachable.exit(), unreachable.all());
      assertTrue(
          unreachable.all().contains("refusing to go on without the rollback check"),
          unreachable.all());
    }
  }

  private List<String> args(Path dataset, List<String> keyServer, boolean resume) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--sig_out",
            dir.resolve("signatures").toString(),
            "--model_path",
            dir.resolve("model").toString(),
            "--dataset",
            dataset.toString(),
            "--epochs",
            "1",
            "--batch",
            "64",
            "--seed",
            "7",
            "--train-threads",
            "1",
            "--checkpoint-every",
            "2",
            "--quiet"));
    args.addAll(keyServer);
    if (resume) {
      args.add("--resume");
    }
    args.add("skip");
    return args;
  }

  /**
   * Runs the trainer in a JVM of its own; with a fault point, kills it (SIGKILL) once it reports
   * reaching it.
   */
  private static ChildJvm.Result trainer(String classPath, List<String> args, String pauseAt)
      throws Exception {
    List<String> options =
        new ArrayList<>(
            List.of("-Xmx768m", "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"));
    if (!pauseAt.isEmpty()) {
      options.add("-D" + FaultPoints.PROPERTY + "=" + pauseAt);
    }
    ChildJvm.Result run =
        ChildJvm.of(classPath, options, TrainerAgent.class.getName(), args)
            .environment("PYTORCH_FLAVOR", "cpu")
            .killAtLine("sentry-fault-point ")
            .run(240);
    if (!pauseAt.isEmpty() && !run.killed()) {
      throw new AssertionError("the trainer ended before " + pauseAt + ":\n" + run.all());
    }
    return run;
  }

  /** This JVM's class path with each folder of classes packed into a jar of its own. */
  private String jarredClassPath() throws IOException {
    Path jars = Files.createDirectories(dir.resolve("classpath"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      Path folder = Path.of(entry);
      if (entry.isEmpty() || !Files.isDirectory(folder)) {
        entries.add(entry);
        continue;
      }
      Path jar = jars.resolve(n++ + ".jar");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
          Stream<Path> walk = Files.walk(folder)) {
        for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(folder.relativize(file).toString().replace('\\', '/')));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
      entries.add(jar.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /** sentry-dataset on a local Hub mirror of 1,200 training and 300 test MNIST rows. */
  private Path prepareDataset() throws IOException, SQLException {
    Path source = RepositoryFiles.locate("examples/hub/sentryml/mnist-subset/mnist");
    Path mirror = dir.resolve("hub/sentryml/mnist-tiny/mnist");
    Files.createDirectories(mirror);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      for (String split : List.of("train:1200", "test:300")) {
        String name = split.substring(0, split.indexOf(':')) + "-00000-of-00001.parquet";
        statement.execute(
            "COPY (SELECT * FROM read_parquet('"
                + source.resolve(name)
                + "') LIMIT "
                + split.substring(split.indexOf(':') + 1)
                + ") TO '"
                + mirror.resolve(name)
                + "' (FORMAT PARQUET)");
      }
    }
    Path dataset = dir.resolve("dataset/mnist-tiny");
    StringWriter out = new StringWriter();
    int exit =
        DatasetAgent.run(
            new String[] {
              "sentryml/mnist-tiny",
              "3",
              "0.8",
              dataset.toString(),
              "--hub-mirror",
              dir.resolve("hub").toString(),
              "--cache-dir",
              dir.resolve("hf-cache").toString(),
              "--quiet"
            },
            new PrintWriter(out, true),
            new PrintWriter(out, true));
    assertEquals(0, exit, out.toString());
    return dataset;
  }
}
