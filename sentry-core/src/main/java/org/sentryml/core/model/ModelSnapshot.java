package org.sentryml.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentryml.core.engine.ByteRegion;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.ByteRegion.MemoryRegion;
import org.sentryml.core.engine.Resource;
import org.sentryml.core.errors.IoFailureException;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;

/**
 * A model's files read once into private memory, with its resources re-pointed at those buffers.
 * Hashing the snapshot and then using it closes the window in which a file could change between
 * check and use; a memory map would not, since a mapped file shows later writes by others.
 *
 * @param files each file's contents, keyed by its path relative to the model (POSIX separators)
 * @param resources the planned resources with every file region replaced by a memory region
 */
record ModelSnapshot(Map<String, ByteBuffer> files, List<Resource> resources) {
  public ModelSnapshot {
    files = Map.copyOf(files);
    resources = List.copyOf(resources);
  }

  /** Reads every file that {@code resources} (planned for {@code model}) refer to. */
  static ModelSnapshot read(Path model, List<Resource> resources) {
    Path root = model.toAbsolutePath().normalize();
    Map<Path, ByteBuffer> contents = new LinkedHashMap<>();
    Map<String, ByteBuffer> byName = new LinkedHashMap<>();
    List<Resource> inMemory = new ArrayList<>();
    for (Resource resource : resources) {
      List<ByteRegion> regions = new ArrayList<>();
      for (ByteRegion region : resource.regions()) {
        if (region instanceof FileRegion file) {
          ByteBuffer whole =
              contents.computeIfAbsent(
                  file.file(),
                  path -> {
                    ByteBuffer read = readFile(path);
                    byName.put(relativeName(root, path), read);
                    return read;
                  });
          if (file.offset() + file.length() > whole.capacity()) {
            throw new IoFailureException(
                "file " + file.file() + " became shorter while it was being read");
          }
          regions.add(new MemoryRegion(whole.slice((int) file.offset(), (int) file.length())));
        } else {
          regions.add(region);
        }
      }
      inMemory.add(new Resource(resource.name(), regions));
    }
    return new ModelSnapshot(byName, inMemory);
  }

  private static ByteBuffer readFile(Path path) {
    try {
      if (Files.size(path) > Integer.MAX_VALUE - 8) {
        throw new MalformedInputException(
            "file " + path + " is too large to load into memory (2 GiB at most)");
      }
      return ByteBuffer.wrap(Files.readAllBytes(path)).asReadOnlyBuffer();
    } catch (IOException e) {
      throw PathProblems.classify(path, e);
    }
  }

  private static String relativeName(Path root, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return Files.isDirectory(root)
        ? root.relativize(absolute).toString().replace('\\', '/')
        : absolute.getFileName().toString();
  }
}
