package org.sentryml.clisupport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.sentryml.core.engine.Engines;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the version in the jar manifest, the commit it was built from, the engines.
 */
public final class VersionInfo implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "sentry " + version() + " (commit " + commit() + ")",
      "engines: " + Engines.availability(),
      "java: "
          + System.getProperty("java.vm.name")
          + " "
          + System.getProperty("java.runtime.version")
    };
  }

  /** The git commit the jars were built from, or {@code unknown}. */
  public static String commit() {
    try (InputStream in = VersionInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("commit", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The version from the jar manifest, or {@code development} when run from classes. */
  public static String version() {
    String version = VersionInfo.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
