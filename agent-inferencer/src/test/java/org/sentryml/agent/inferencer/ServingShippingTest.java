package org.sentryml.agent.inferencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sentryml.testkit.RepositoryFiles;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The serving deployment files, read as YAML: the compose {@code sentry_server} service and the
 * Kubernetes manifests, each command parsed by the real {@code serve} CLI, every secret it names
 * mounted, the probes on the route that answers them.
 */
class ServingShippingTest {
  private static final Path ROOT = RepositoryFiles.root();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  /** Parses {@code sentry-inferencer serve ...} as the agent does; returns the serve command. */
  private static ServeCommand parseServe(List<String> command) {
    assertEquals("serve", command.get(0), String.valueOf(command));
    ServeCommand serve = new ServeCommand();
    CommandLine.ParseResult parsed =
        new CommandLine(serve).parseArgs(command.subList(1, command.size()).toArray(String[]::new));
    assertTrue(parsed.errors().isEmpty(), parsed.errors().toString());
    assertTrue(parsed.hasSubcommand(), "a METHOD follows the options");
    return serve;
  }

  @Test
  void composeServesWithSecretsAGpuReplicasAndAHealthcheck() throws IOException {
    Map<String, Object> compose =
        map(new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml"))));
    Map<String, Object> service = map(map(compose.get("services")).get("sentry_server"));
    assertNotNull(service, "docker-compose.yml has a sentry_server service");
    assertEquals("sentry:latest", service.get("image"));
    List<Object> command = list(service.get("command"));
    assertEquals("sentry-inferencer", command.get(0));
    ServeCommand serve =
        parseServe(command.subList(1, command.size()).stream().map(String::valueOf).toList());
    assertNotNull(serve.clientCa, "client certificates are required");

    List<Object> secrets = list(service.get("secrets"));
    Map<String, Object> declared = map(compose.get("secrets"));
    for (Path file : List.of(serve.tlsCert, serve.tlsKey, serve.clientCa)) {
      String name = file.getFileName().toString();
      assertEquals("/run/secrets/" + name, file.toString());
      assertTrue(secrets.contains(name), name + " is a secret of the service");
      assertTrue(declared.containsKey(name), name + " is declared");
    }
    assertTrue(secrets.contains("public_key"));

    Map<String, Object> deploy = map(service.get("deploy"));
    assertTrue(((Number) deploy.get("replicas")).intValue() >= 2, "replicas: " + deploy);
    String reservation = String.valueOf(map(deploy.get("resources")).get("reservations"));
    assertTrue(
        reservation.contains("driver=nvidia") && reservation.contains("capabilities=[gpu]"),
        reservation);

    List<Object> test = list(map(service.get("healthcheck")).get("test"));
    String check = String.join(" ", test.stream().map(String::valueOf).toList());
    int port = Addresses.parse("--health-listen", serve.healthListen).getPort();
    assertTrue(check.contains("/dev/tcp/127.0.0.1/" + port), check);
    assertTrue(check.contains("GET /healthz"), check);
  }

  @Test
  void kubernetesManifestsHoldADeploymentWithProbesAServiceAndTheSecretsItMounts()
      throws IOException {
    Map<String, Map<String, Object>> byKindAndName = new HashMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(ROOT.resolve("deploy/kubernetes"))) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      for (Object document : new Yaml().loadAll(Files.readString(file))) {
        Map<String, Object> resource = map(document);
        String kind = (String) resource.get("kind");
        String name =
            resource.containsKey("metadata")
                ? (String) map(resource.get("metadata")).get("name")
                : file.getFileName().toString();
        byKindAndName.put(kind + "/" + name, resource);
      }
    }
    List<String> listed =
        list(byKindAndName.get("Kustomization/kustomization.yaml").get("resources")).stream()
            .map(String::valueOf)
            .toList();
    for (Path file : files) {
      String name = file.getFileName().toString();
      assertTrue(name.equals("kustomization.yaml") || listed.contains(name), name + " is listed");
    }

    Map<String, Object> deployment = byKindAndName.get("Deployment/sentry-server");
    assertNotNull(deployment, byKindAndName.keySet().toString());
    Map<String, Object> spec = map(deployment.get("spec"));
    assertTrue(((Number) spec.get("replicas")).intValue() >= 2);
    Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
    Map<String, Object> container = map(list(pod.get("containers")).get(0));
    assertEquals(List.of("sentry-inferencer"), container.get("command"));
    ServeCommand serve =
        parseServe(list(container.get("args")).stream().map(String::valueOf).toList());
    assertNotNull(serve.clientCa);

    Map<String, Integer> ports = new HashMap<>();
    for (Object port : list(container.get("ports"))) {
      ports.put((String) map(port).get("name"), (Integer) map(port).get("containerPort"));
    }
    assertEquals(Addresses.parse("--listen", serve.listen).getPort(), ports.get("https"));
    assertEquals(
        Addresses.parse("--health-listen", serve.healthListen).getPort(), ports.get("health"));
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
      assertEquals("/healthz", get.get("path"), probe);
      assertEquals("health", get.get("port"), probe);
    }
    assertEquals(1, map(map(container.get("resources")).get("limits")).get("nvidia.com/gpu"));
    Map<String, Object> security = map(container.get("securityContext"));
    assertEquals(true, security.get("readOnlyRootFilesystem"));
    assertEquals(false, security.get("allowPrivilegeEscalation"));
    assertEquals(true, map(pod.get("securityContext")).get("runAsNonRoot"));

    // Every file the command reads lies under a mount, and every secret mounted exists.
    Map<String, String> volumeSecrets = new HashMap<>();
    for (Object volume : list(pod.get("volumes"))) {
      Map<String, Object> secret = map(map(volume).get("secret"));
      if (secret != null) {
        volumeSecrets.put((String) map(volume).get("name"), (String) secret.get("secretName"));
      }
    }
    List<String> secretMounts = new ArrayList<>();
    List<String> allMounts = new ArrayList<>();
    for (Object mount : list(container.get("volumeMounts"))) {
      String path = (String) map(mount).get("mountPath");
      allMounts.add(path);
      String secret = volumeSecrets.get((String) map(mount).get("name"));
      if (secret != null) {
        assertEquals(true, map(mount).get("readOnly"), path);
        assertTrue(byKindAndName.containsKey("Secret/" + secret), secret + " is defined");
        secretMounts.add(path);
      }
    }
    for (Path file : List.of(serve.tlsCert, serve.tlsKey, serve.clientCa)) {
      assertTrue(
          secretMounts.stream().anyMatch(m -> file.startsWith(Path.of(m))),
          file + " comes from a Secret");
    }
    for (Path folder : List.of(serve.modelPath, serve.sigPath)) {
      assertTrue(allMounts.contains(folder.toString()), folder + " is mounted");
    }

    Map<String, Object> service = byKindAndName.get("Service/sentry-server");
    assertNotNull(service);
    assertEquals(
        map(spec.get("selector")).get("matchLabels"), map(service.get("spec")).get("selector"));
    assertEquals(
        "https", map(list(map(service.get("spec")).get("ports")).get(0)).get("targetPort"));
    for (Map<String, Object> resource : byKindAndName.values()) {
      if ("Secret".equals(resource.get("kind"))) {
        assertFalse(
            String.valueOf(resource.get("stringData")).contains("PRIVATE KEY"),
            "no key is committed");
      }
    }
  }
}
