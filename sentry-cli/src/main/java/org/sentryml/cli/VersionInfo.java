package org.sentryml.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the implementation version recorded in the jar manifest. */
public final class VersionInfo implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"sentry " + version()};
  }

  /** The version from the jar manifest, or {@code development} when run from classes. */
  public static String version() {
    String version = SentryCli.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
