package org.sentryml.core.model;

import java.util.List;

/**
 * A verified byte range {@code [start, end)} of one model file: the resources it was checked in and
 * the bytes read from the file to do it (the covering leaves, and an inplace file's header).
 */
public record FileRangeVerification(
    String file, long start, long end, List<SignedLeaves.RangeCheck> checks, long bytesRead) {
  public FileRangeVerification {
    checks = List.copyOf(checks);
  }
}
