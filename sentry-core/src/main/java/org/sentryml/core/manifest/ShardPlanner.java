package org.sentryml.core.manifest;

import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.Resource;

/**
 * Cuts files into OMS shards named {@code path:start:end}, as model_signing does: consecutive
 * {@code shardSize} byte ranges, the last one shorter, none for an empty file; ordered by file
 * name, then by start offset (numerically, not as text).
 */
public final class ShardPlanner {
  private ShardPlanner() {}

  public static List<Resource> plan(List<ModelFile> files, long shardSize) {
    List<Resource> shards = new ArrayList<>();
    for (ModelFile file : files) {
      for (long start = 0; start < file.size(); start += shardSize) {
        long end = Math.min(file.size(), start + shardSize);
        shards.add(
            new Resource(
                file.name() + ":" + start + ":" + end,
                List.of(new FileRegion(file.path(), start, end - start))));
      }
    }
    return shards;
  }
}
