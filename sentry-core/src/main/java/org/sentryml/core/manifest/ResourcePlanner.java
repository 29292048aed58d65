package org.sentryml.core.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.sentryml.core.engine.ByteRegion;
import org.sentryml.core.engine.ByteRegion.FileRegion;
import org.sentryml.core.engine.ByteRegion.InlineBytes;
import org.sentryml.core.engine.Resource;

/** Cuts a listed model into the resources a {@link Workflow} digests, in canonical order. */
public final class ResourcePlanner {
  /** Name of the header resource of a safetensors file in the inplace workflow. */
  public static final String HEADER_TENSOR = "__header__";

  private ResourcePlanner() {}

  public static List<Resource> plan(List<ModelFile> files, Workflow workflow) {
    List<Resource> resources =
        switch (workflow) {
          case LAYERED -> files.stream().map(ResourcePlanner::whole).toList();
          case COALESCED -> List.of(coalesced(files));
          case INPLACE -> inplace(files);
        };
    return resources.stream()
        .sorted((a, b) -> CanonicalOrder.NAMES.compare(a.name(), b.name()))
        .toList();
  }

  private static Resource whole(ModelFile file) {
    return new Resource(file.name(), List.of(new FileRegion(file.path(), 0, file.size())));
  }

  /**
   * One stream over all files, each preceded by {@code le32(len(name)) ‖ name ‖ le64(size)}: the
   * framing binds names and file boundaries, so renaming a file or moving bytes from one file to
   * the next changes the digest even though the concatenated contents do not.
   */
  private static Resource coalesced(List<ModelFile> files) {
    List<ByteRegion> regions = new ArrayList<>();
    for (ModelFile file : files) {
      byte[] name = file.name().getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream frame = new ByteArrayOutputStream(12 + name.length);
      ByteBuffer number = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      frame.write(number.putInt(0, name.length).array(), 0, 4);
      frame.write(name, 0, name.length);
      frame.write(number.putLong(0, file.size()).array(), 0, 8);
      regions.add(new InlineBytes(frame.toByteArray()));
      regions.add(new FileRegion(file.path(), 0, file.size()));
    }
    return new Resource(".", regions);
  }

  private static List<Resource> inplace(List<ModelFile> files) {
    List<Resource> out = new ArrayList<>();
    for (ModelFile file : files) {
      if (!isSafetensors(file)) {
        out.add(whole(file));
        continue;
      }
      SafetensorsHeader header = SafetensorsHeader.read(file.path());
      out.add(
          new Resource(
              file.name() + "#" + HEADER_TENSOR,
              List.of(new FileRegion(file.path(), 0, header.headerLength()))));
      for (SafetensorsHeader.Tensor tensor : header.tensors()) {
        long offset = header.headerLength() + tensor.begin();
        out.add(
            new Resource(
                file.name() + "#" + tensor.name(),
                List.of(new FileRegion(file.path(), offset, tensor.end() - tensor.begin()))));
      }
    }
    return out;
  }

  private static boolean isSafetensors(ModelFile file) {
    return file.path().getFileName().toString().endsWith(".safetensors");
  }
}
