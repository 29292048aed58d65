package org.sentryml.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryFilesTest {
  private static final String PARENT_POM =
      "<project><artifactId>sentry-parent</artifactId></project>";
  private static final String MODULE_POM =
      "<project><parent><artifactId>sentry-parent</artifactId></parent><artifactId>sentry-x</artifactId></project>";

  @TempDir Path dir;

  @Test
  void root_isTheFolderOfTheParentPomAboveAModule() {
    TestFiles.write(dir.resolve("repo/pom.xml"), PARENT_POM.getBytes(StandardCharsets.UTF_8));
    TestFiles.write(
        dir.resolve("repo/sentry-x/pom.xml"), MODULE_POM.getBytes(StandardCharsets.UTF_8));
    assertEquals(dir.resolve("repo"), RepositoryFiles.rootAbove(dir.resolve("repo/sentry-x/src")));
  }

  @Test
  void root_isNeverAFolderThatOnlyHoldsExamplesOrAModulePom() {
    TestFiles.write(dir.resolve("examples/hub/README.md"), new byte[0]);
    TestFiles.write(dir.resolve("clone/pom.xml"), MODULE_POM.getBytes(StandardCharsets.UTF_8));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RepositoryFiles.rootAbove(dir.resolve("clone")));
    assertTrue(e.getMessage().contains("sentry-parent pom.xml"), e.getMessage());
  }

  @Test
  void fromTheTestkitsOwnTests_theRootHoldsEveryModule() {
    Path root = RepositoryFiles.root();
    assertTrue(Files.isRegularFile(root.resolve("sentry-testkit/pom.xml")), root.toString());
    assertEquals(
        root.resolve("native/cuda/kernels.cu"), RepositoryFiles.locate("native/cuda/kernels.cu"));
  }

  @Test
  void locate_namesWhatIsMissing() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> RepositoryFiles.locate("examples/none"));
    assertTrue(e.getMessage().contains("examples/none"), e.getMessage());
  }
}
