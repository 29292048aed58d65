package org.sentryml.training.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.sentryml.core.errors.PathProblems;

/** Writes that survive a power cut once they return: file contents and folder entries fsynced. */
final class Durable {
  private Durable() {}

  /** Creates {@code file} (owner-only where the file system has permissions), writes, fsyncs. */
  static void writeNew(Path file, byte[] contents) {
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(contents);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
    } catch (IOException e) {
      throw PathProblems.classifyWrite(file, e);
    }
  }

  /** Makes the entries of {@code folder} (a rename into it, a new file) durable. */
  static void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(folder, e);
    }
  }
}
