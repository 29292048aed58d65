package org.sentryml.testkit;

/**
 * The JUnit tags of the suite's tiers, for {@code @Tag(TestTags.SLOW)}. {@code bin/sentry-test}
 * runs every test; {@code bin/sentry-test --fast} (the {@code fast} Maven profile) runs only the
 * untagged ones. A constant rather than a string at each use, so that a misspelt tag cannot quietly
 * move a test into the fast tier.
 */
public final class TestTags {
  /** Runs programs compiled with nvcc (host builds of the CUDA hash cores). */
  public static final String NVCC = "nvcc";

  /** Runs the agents end to end, or trains a model with DJL. */
  public static final String E2E = "e2e";

  /** Any other test class that takes more than about ten seconds on a 2-core machine. */
  public static final String SLOW = "slow";

  private TestTags() {}
}
