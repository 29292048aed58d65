package org.sentryml.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the implementation version recorded in the jar manifest. */
public final class VersionInfo implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = SentryCli.class.getPackage().getImplementationVersion();
    return new String[] {"sentry " + (version == null ? "development build" : version)};
  }
}
