package org.sentryml.data.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.TestFiles;

class HubTokenTest {
  @TempDir Path dir;

  private Path work() {
    return dir.resolve("work");
  }

  private Path home() {
    return dir.resolve("home");
  }

  private void writeWorkingFile(String text) {
    TestFiles.write(work().resolve("hf_access_token"), text.getBytes(StandardCharsets.UTF_8));
  }

  private void writeHomeToken(String text) {
    TestFiles.write(
        home().resolve(".cache/huggingface/token"), text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void environmentVariableWinsOverFiles() {
    writeWorkingFile("from-file");
    writeHomeToken("from-home");
    assertEquals(
        "from-env",
        HubToken.find(Map.of("HF_TOKEN", "from-env"), work(), home()).orElseThrow().value());
  }

  @Test
  void tokenPathFileWinsOverTheWorkingDirectory() {
    writeWorkingFile("from-file");
    TestFiles.write(dir.resolve("secret"), "from-secret\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "from-secret",
        HubToken.find(Map.of("HF_TOKEN_PATH", dir.resolve("secret").toString()), work(), home())
            .orElseThrow()
            .value());
  }

  @Test
  void workingDirectoryFileWinsOverHfHome() {
    writeWorkingFile("from-file\n");
    writeHomeToken("from-home");
    assertEquals("from-file", HubToken.find(Map.of(), work(), home()).orElseThrow().value());
  }

  @Test
  void hfHomeTokenIsTheLastResort() {
    writeHomeToken("from-home\n");
    assertEquals("from-home", HubToken.find(Map.of(), work(), home()).orElseThrow().value());
    TestFiles.write(dir.resolve("hf/token"), "custom".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "custom",
        HubToken.find(Map.of("HF_HOME", dir.resolve("hf").toString()), work(), home())
            .orElseThrow()
            .value());
  }

  @Test
  void blankValuesCountAsAbsent() {
    writeWorkingFile("  \n");
    assertFalse(HubToken.find(Map.of("HF_TOKEN", " "), work(), home()).isPresent());
  }

  @Test
  void toStringNeverShowsTheToken() {
    String text = HubToken.of("hf_secret").toString();
    assertFalse(text.contains("hf_secret"), text);
    assertTrue(text.contains("redacted"), text);
  }
}
