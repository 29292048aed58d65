package org.sentryml.core.io;

import java.nio.file.Path;

/**
 * A process that stages a folder and then waits to be killed, as a run interrupted by kill -9
 * would: {@code StagingHolder <target>} prints the staging folder and sleeps.
 */
public final class StagingHolder {
  private StagingHolder() {}

  public static void main(String[] args) throws InterruptedException {
    StagedFolder staged = StagedFolder.create(Path.of(args[0]));
    System.out.println(staged.folder());
    System.out.flush();
    Thread.sleep(120_000);
  }
}
