package org.sentryml.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentryml.core.engine.ResourceLeaves;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.PathProblems;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.io.AtomicFile;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * The unsigned leaf sidecar ({@code model.sig.leaves}, docs/FORMAT.md): every resource's Merkle
 * leaf digests, so that a reader can verify any byte range by hashing only the leaves that cover
 * it. Nothing in it is trusted: {@link SignedLeaves} checks each resource's leaves against the
 * signed digest before using them.
 *
 * <p>Layout: the 8 ASCII bytes {@code SNTLEAF1}, {@code le32} length of a UTF-8 JSON header, the
 * header, then each listed resource's digests in header order, concatenated.
 */
public final class LeafSidecar {
  static final byte[] MAGIC = "SNTLEAF1".getBytes(StandardCharsets.US_ASCII);
  static final String FORMAT = "sentry-leaves/v1";

  /** A header is a few dozen bytes per resource; a million tensors fit. */
  static final int MAX_HEADER_BYTES = 64 << 20;

  private LeafSidecar() {}

  /** The sidecar's default name beside a signature file: {@code SIGNATURE.leaves}. */
  public static Path besides(Path signatureFile) {
    return signatureFile.resolveSibling(signatureFile.getFileName() + ".leaves");
  }

  /** One listed resource: its size, leaf count and where its digests start in the file. */
  record Entry(String name, long size, long leaves, long offset) {}

  /** The parsed header: parameters and entries by name, in file order. */
  record Header(HashAlgorithm algorithm, int leafSize, Map<String, Entry> entries) {}

  /** Writes the sidecar atomically (complete or not at all). */
  public static void write(
      Path sidecar, HashAlgorithm algorithm, int leafSize, List<ResourceLeaves> resources) {
    JsonArray list = new JsonArray();
    for (ResourceLeaves r : resources) {
      JsonObject entry = new JsonObject();
      entry.addProperty("name", r.name());
      entry.addProperty("size", r.size());
      entry.addProperty("leaves", leafCount(r.size(), leafSize));
      list.add(entry);
    }
    JsonObject header = new JsonObject();
    header.addProperty("format", FORMAT);
    header.addProperty("algorithm", algorithm.id());
    header.addProperty("leaf_size", leafSize);
    header.add("resources", list);
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    try (AtomicFile file = AtomicFile.create(sidecar)) {
      OutputStream out = file.stream();
      out.write(MAGIC);
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(json.length).array());
      out.write(json);
      for (ResourceLeaves r : resources) {
        if (r.leaves().length != leafCount(r.size(), leafSize) * algorithm.digestLength()) {
          throw new IllegalArgumentException("wrong number of leaf digests for " + r.name());
        }
        out.write(r.leaves());
      }
      file.commit(true);
    } catch (IOException e) {
      throw PathProblems.classifyWrite(sidecar, e);
    }
  }

  /** RFC 6962 leaves of a stream of {@code size} bytes; an empty stream has none. */
  static long leafCount(long size, int leafSize) {
    return (size + leafSize - 1) / leafSize;
  }

  /**
   * Reads and checks the header: magic, bounds, each entry's leaf count against its size, and the
   * file's length against the entries.
   *
   * @throws org.sentryml.core.errors.SentryException {@link MalformedInputException} naming the
   *     field
   */
  static Header readHeader(FileChannel channel, Path sidecar) throws IOException {
    ByteBuffer start = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, start, 0, sidecar);
    byte[] magic = new byte[8];
    start.flip().get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw bad(sidecar, "does not start with SNTLEAF1");
    }
    int length = start.getInt();
    if (length <= 0 || length > MAX_HEADER_BYTES || 12L + length > channel.size()) {
      throw bad(sidecar, "has a header length of " + Integer.toUnsignedString(length));
    }
    ByteBuffer json = ByteBuffer.allocate(length);
    readFully(channel, json, 12, sidecar);
    JsonFields header =
        new JsonFields(
            StrictJson.parseObject(json.array(), "leaf sidecar " + sidecar),
            "",
            "leaf sidecar " + sidecar);
    if (!FORMAT.equals(header.string("format"))) {
      throw header.error("format", "must be " + FORMAT);
    }
    HashAlgorithm algorithm =
        HashAlgorithm.byId(header.string("algorithm"))
            .orElseThrow(() -> header.error("algorithm", "names no known algorithm"));
    long leafSize = header.int64("leaf_size");
    if (leafSize < 1 || leafSize > Integer.MAX_VALUE) {
      throw header.error("leaf_size", "is out of range");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    long offset = 12L + length;
    JsonArray list = header.array("resources");
    for (int i = 0; i < list.size(); i++) {
      JsonFields entry = header.element("resources", list, i);
      String name = entry.string("name");
      long size = entry.int64("size");
      long leaves = entry.int64("leaves");
      if (size < 0 || leaves != leafCount(size, (int) leafSize)) {
        throw entry.error("leaves", "does not match the size " + size);
      }
      if (entries.put(name, new Entry(name, size, leaves, offset)) != null) {
        throw entry.error("name", "lists " + name + " twice");
      }
      offset = Math.addExact(offset, Math.multiplyExact(leaves, algorithm.digestLength()));
    }
    if (offset != channel.size()) {
      throw bad(sidecar, "is " + channel.size() + " bytes, its header describes " + offset);
    }
    return new Header(algorithm, (int) leafSize, entries);
  }

  static byte[] readDigests(FileChannel channel, Header header, Entry entry, Path sidecar)
      throws IOException {
    long bytes = entry.leaves() * header.algorithm().digestLength();
    if (bytes > Integer.MAX_VALUE - 8) {
      throw bad(sidecar, "lists more leaves for " + entry.name() + " than fit in memory");
    }
    ByteBuffer digests = ByteBuffer.allocate((int) bytes);
    readFully(channel, digests, entry.offset(), sidecar);
    return digests.array();
  }

  static FileChannel open(Path sidecar) {
    try {
      return FileChannel.open(sidecar, StandardOpenOption.READ);
    } catch (IOException e) {
      throw PathProblems.classify(sidecar, e);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer target, long at, Path sidecar)
      throws IOException {
    long position = at;
    while (target.hasRemaining()) {
      int n = channel.read(target, position);
      if (n < 0) {
        throw bad(sidecar, "ends early");
      }
      position += n;
    }
  }

  private static MalformedInputException bad(Path sidecar, String problem) {
    return new MalformedInputException("leaf sidecar " + sidecar + " " + problem);
  }
}
