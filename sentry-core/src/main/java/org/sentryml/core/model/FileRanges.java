package org.sentryml.core.model;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.sentryml.core.engine.ByteRegion;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.errors.UsageException;
import org.sentryml.core.errors.VerificationFailedException;
import org.sentryml.core.manifest.ResourcePlanner;
import org.sentryml.core.manifest.Workflow;

/**
 * Verifies a byte range of one model file through {@link SignedLeaves}: the range is mapped to the
 * signed resources that hold it (the file itself in the layered workflow; its tensors and header in
 * the inplace one, whose header is verified first, since its offsets decide the mapping), and only
 * the covering leaves are read.
 */
final class FileRanges {
  private FileRanges() {}

  static FileRangeVerification verify(
      Path model, ModelPlan plan, SignedLeaves leaves, String file, long start, long end) {
    if (plan.serialization().workflow() == Workflow.COALESCED) {
      throw new UsageException(
          "--range needs a per-file workflow (layered or inplace); this model was signed coalesced");
    }
    List<Resource> holding = new ArrayList<>();
    for (Resource resource : plan.resources()) {
      if (ResourceSelection.fileOf(resource.name()).equals(file)) {
        holding.add(resource);
      }
    }
    if (holding.isEmpty()) {
      throw new VerificationFailedException(
          "verification failed: " + file + " is not a signed file of " + model);
    }
    holding.sort(Comparator.comparingLong(r -> region(r).offset()));
    AtomicLong bytesRead = new AtomicLong();
    List<SignedLeaves.RangeCheck> checks = new ArrayList<>();
    try (FileChannel channel =
        FileChannel.open(region(holding.get(0)).file(), StandardOpenOption.READ)) {
      Resource header =
          holding.stream()
              .filter(r -> r.name().endsWith("#" + ResourcePlanner.HEADER_TENSOR))
              .findFirst()
              .orElse(null);
      if (header != null) {
        checks.add(check(leaves, header, 0, region(header).length(), channel, bytesRead));
      }
      long covered = start;
      for (Resource resource : holding) {
        FileRegion region = region(resource);
        long from = Math.max(start, region.offset());
        long to = Math.min(end, region.offset() + region.length());
        if (from >= to) {
          continue;
        }
        if (from > covered) {
          break;
        }
        if (header == null || !resource.name().equals(header.name())) {
          checks.add(
              check(
                  leaves,
                  resource,
                  from - region.offset(),
                  to - region.offset(),
                  channel,
                  bytesRead));
        }
        covered = Math.max(covered, to);
      }
      if (covered < end) {
        throw new VerificationFailedException(
            String.format(
                Locale.ROOT,
                "verification failed: bytes [%d, %d) of %s lie in no signed resource",
                covered,
                end,
                file));
      }
    } catch (IOException e) {
      throw PathProblems.classify(region(holding.get(0)).file(), e);
    }
    return new FileRangeVerification(file, start, end, checks, bytesRead.get());
  }

  private static SignedLeaves.RangeCheck check(
      SignedLeaves leaves,
      Resource resource,
      long from,
      long to,
      FileChannel channel,
      AtomicLong bytesRead) {
    FileRegion region = region(resource);
    if (!leaves.covers(resource.name())) {
      throw new UsageException("the leaf sidecar has no leaves for " + resource.name());
    }
    if (leaves.size(resource.name()) != region.length()) {
      throw new VerificationFailedException(
          String.format(
              Locale.ROOT,
              "verification failed: %s is %d bytes, the leaf sidecar records %d (a sidecar older"
                  + " than the signature?)",
              resource.name(),
              region.length(),
              leaves.size(resource.name())));
    }
    return leaves.verify(
        resource.name(),
        from,
        to,
        (offset, target) -> {
          long position = region.offset() + offset;
          try {
            while (target.hasRemaining()) {
              int n = channel.read(target, position);
              if (n < 0) {
                throw new IoFailureException(
                    "file " + region.file() + " became shorter while it was being verified");
              }
              position += n;
              bytesRead.addAndGet(n);
            }
          } catch (IOException e) {
            throw PathProblems.classify(region.file(), e);
          }
        });
  }

  private static FileRegion region(Resource resource) {
    List<ByteRegion> regions = resource.regions();
    if (regions.size() != 1 || !(regions.get(0) instanceof FileRegion file)) {
      throw new IllegalStateException("a per-file resource is one file region: " + resource.name());
    }
    return file;
  }
}
