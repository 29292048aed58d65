package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sentryml.agent.dataset.DatasetAgent;
import org.sentryml.agent.trainer.TrainerAgent;
import org.sentryml.cli.SentryCli;
import org.sentryml.testkit.RepositoryFiles;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * What can be checked of the container files without a Docker engine: the compose file's shape,
 * every service's command against the real agent CLIs, secrets kept out of the image, and the
 * Dockerfile building with the README's own test command.
 */
class ShippingFilesTest {
  private static final Path ROOT = RepositoryFiles.root();
  private static final List<String> SERVICES =
      List.of("sentry_dataset", "sentry_trainer", "sentry_inferencer");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() throws IOException {
    return (Map<String, Object>)
        new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) throws IOException {
    return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
  }

  @Test
  void servicesShareOneImageTheVolumesAndAGpu() throws IOException {
    for (String name : SERVICES) {
      Map<String, Object> service = service(name);
      assertEquals("sentry:latest", service.get("image"), name);
      assertEquals(".", service.get("build"), name);
      @SuppressWarnings("unchecked")
      List<String> volumes = (List<String>) service.get("volumes");
      for (String volume :
          List.of(
              "./dataset:/work/dataset",
              "./models:/work/models",
              "./signatures:/work/signatures")) {
        assertTrue(volumes.contains(volume), name + " mounts " + volume);
      }
      String deploy = String.valueOf(service.get("deploy"));
      assertTrue(
          deploy.contains("driver=nvidia") && deploy.contains("capabilities=[gpu]"),
          name + ": " + deploy);
      assertEquals(
          "/etc/sentry/cufile.json",
          ((Map<?, ?>) service.get("environment")).get("CUFILE_ENV_PATH_JSON"));
    }
  }

  @Test
  void keysAndTokenAreSecretsAndServicesRunInOrder() throws IOException {
    assertEquals(List.of("hf_token"), service("sentry_dataset").get("secrets"));
    assertEquals(List.of("private_key"), service("sentry_trainer").get("secrets"));
    assertEquals(List.of("public_key"), service("sentry_inferencer").get("secrets"));
    assertEquals(
        "{sentry_dataset={condition=service_completed_successfully}}",
        String.valueOf(service("sentry_trainer").get("depends_on")));
    assertEquals(
        "{sentry_trainer={condition=service_completed_successfully}}",
        String.valueOf(service("sentry_inferencer").get("depends_on")));
    Map<?, ?> secrets = (Map<?, ?>) compose().get("secrets");
    assertEquals("{file=./keys/private.pem}", String.valueOf(secrets.get("private_key")));
    assertEquals("{file=./hf_access_token}", String.valueOf(secrets.get("hf_token")));
  }

  @Test
  void everyServiceCommandParsesWithTheRealAgent() throws IOException {
    for (String name : SERVICES) {
      @SuppressWarnings("unchecked")
      List<String> command = (List<String>) service(name).get("command");
      String[] args = command.subList(1, command.size()).toArray(String[]::new);
      Object agent =
          switch (command.get(0)) {
            case "sentry-dataset" -> new DatasetAgent();
            case "sentry-trainer" -> new TrainerAgent();
            case "sentry-inferencer" -> new InferencerAgent();
            default -> throw new AssertionError(name + " runs " + command.get(0));
          };
      CommandLine.ParseResult parsed = new CommandLine(agent).parseArgs(args);
      assertTrue(parsed.errors().isEmpty(), name + ": " + parsed.errors());
    }
  }

  @Test
  void dockerfileBuildsWithTheReadmeTestCommandAndCarriesNoSecrets() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    String ci = Files.readString(ROOT.resolve(".ci/run"));
    assertTrue(readme.contains("bin/sentry-test"), "README's test command");
    assertTrue(ci.contains("bin/sentry-test"), ".ci/run runs the README's test command");
    assertTrue(
        dockerfile.contains("RUN bin/sentry-test"),
        "the build stage runs the README's test command");
    assertTrue(
        Pattern.compile("^FROM nvidia/cuda:\\$\\{CUDA_VERSION}-devel-", Pattern.MULTILINE)
            .matcher(dockerfile)
            .find());
    assertTrue(
        Pattern.compile("^FROM nvidia/cuda:\\$\\{CUDA_VERSION}-runtime-", Pattern.MULTILINE)
            .matcher(dockerfile)
            .find());
    assertTrue(
        Pattern.compile("^USER sentry$", Pattern.MULTILINE).matcher(dockerfile).find(),
        "runs as a non-root user");
    for (String line : dockerfile.split("\n", -1)) {
      String upper = line.toUpperCase(Locale.ROOT);
      if (upper.startsWith("ENV") || upper.startsWith("ARG")) {
        assertFalse(
            upper.contains("TOKEN")
                || upper.contains("PRIVATE")
                || upper.contains("PASSWORD")
                || upper.contains("SECRET"),
            line);
      }
      assertFalse(line.contains("keygen"), "no key is generated in the image: " + line);
    }
    String ignore = Files.readString(ROOT.resolve(".dockerignore"));
    for (String kept : List.of("keys", "hf_access_token", "*.pem", "**/private*.pem")) {
      assertTrue(ignore.lines().anyMatch(kept::equals), ".dockerignore excludes " + kept);
    }
  }

  @Test
  void dockerComposeValidatesTheFileWhereItIsInstalled() throws Exception {
    Path binary = Path.of("/usr/bin/docker-compose");
    assumeTrue(
        Files.isExecutable(binary),
        "Debian's docker-compose is not installed here; the structural checks above still ran");
    Process process =
        new ProcessBuilder(binary.toString(), "-f", "docker-compose.yml", "config", "-q")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
  }

  @Test
  void versionNamesTheEngines() {
    StringWriter out = new StringWriter();
    assertEquals(
        0,
        SentryCli.run(
            new String[] {"--version"},
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true)));
    assertTrue(out.toString().contains("engines: cpu"), out.toString());
  }
}
