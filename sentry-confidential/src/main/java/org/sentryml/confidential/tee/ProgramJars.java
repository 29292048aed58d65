package org.sentryml.confidential.tee;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.sentryml.core.errors.PathProblems;

/**
 * The jars this program runs from: the class path's (through {@link SampleAttester#classPathJars}),
 * and those their manifests' {@code Class-Path} names — under {@code java -jar} the class path is
 * the one jar, and the code in {@code lib/} must be measured too.
 */
public final class ProgramJars {
  private ProgramJars() {}

  /** The jars of {@code classPath} and those their manifests name. */
  public static List<Path> of(String classPath) {
    Set<Path> jars = new LinkedHashSet<>();
    for (Path jar : SampleAttester.classPathJars(classPath)) {
      jars.add(jar);
      try (JarFile file = new JarFile(jar.toFile())) {
        Manifest manifest = file.getManifest();
        String entries =
            manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
        if (entries == null) {
          continue;
        }
        Path dir = jar.toAbsolutePath().getParent();
        for (String entry : entries.trim().split("\\s+", -1)) {
          Path lib = dir.resolve(entry);
          if (!entry.isEmpty() && Files.isRegularFile(lib)) {
            jars.add(lib);
          }
        }
      } catch (IOException e) {
        throw PathProblems.classify(jar, e);
      }
    }
    return new ArrayList<>(jars);
  }
}
