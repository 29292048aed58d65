package org.sentryml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendBuffersTest {
  @TempDir Path dir;

  @Test
  void manyFilesGetTheirBytesInOrderWithoutADescriptorEach() throws IOException {
    int files = 200;
    AppendBuffers buffers = new AppendBuffers(4096);
    List<AppendBuffers.Output> outputs = new ArrayList<>();
    List<ByteArrayOutputStream> expected = new ArrayList<>();
    long before = OpenFiles.count();
    for (int i = 0; i < files; i++) {
      outputs.add(buffers.create(dir.resolve("f" + i)));
      expected.add(new ByteArrayOutputStream());
    }
    SplittableRandom random = new SplittableRandom(1);
    long most = 0;
    for (int round = 0; round < 5_000; round++) {
      int file = random.nextInt(files);
      byte[] chunk = new byte[1 + random.nextInt(700)];
      random.nextBytes(chunk);
      outputs.get(file).write(chunk);
      expected.get(file).write(chunk);
      most = Math.max(most, OpenFiles.count() - before);
    }
    for (AppendBuffers.Output output : outputs) {
      output.force();
    }
    for (int i = 0; i < files; i++) {
      assertArrayEquals(
          expected.get(i).toByteArray(), Files.readAllBytes(dir.resolve("f" + i)), "f" + i);
    }
    assertTrue(most <= 2, "descriptors held while writing " + files + " files: " + most);
  }
}
