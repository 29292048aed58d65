package org.sentryml.core.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sentryml.core.hashing.Blake2Xb;

class LtHash16Test {
  private final Blake2Xb expander = LatticeElements.newExpander();

  private List<byte[]> samples(int count) {
    List<byte[]> expansions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] key = ("sample-" + i).getBytes(StandardCharsets.UTF_8);
      byte[] label = Integer.toString(i % 10).getBytes(StandardCharsets.UTF_8);
      byte[] data = new byte[i * 7];
      new Random(i).nextBytes(data);
      expansions.add(LatticeElements.expandSample(expander, key, label, data));
    }
    return expansions;
  }

  @Test
  void checksumIsIndependentOfInsertionOrder() {
    List<byte[]> elements = samples(50);
    LtHash16 inOrder = new LtHash16();
    elements.forEach(inOrder::addExpansion);
    Collections.shuffle(elements, new Random(9));
    LtHash16 shuffled = new LtHash16();
    elements.forEach(shuffled::addExpansion);
    assertArrayEquals(inOrder.checksum(), shuffled.checksum());
    assertArrayEquals(inOrder.digest(), shuffled.digest());
  }

  @Test
  void addThenRemoveRestoresTheChecksum() {
    List<byte[]> elements = samples(10);
    LtHash16 lattice = new LtHash16();
    elements.subList(0, 5).forEach(lattice::addExpansion);
    byte[] before = lattice.checksum();
    elements.subList(5, 10).forEach(lattice::addExpansion);
    elements.subList(5, 10).forEach(lattice::removeExpansion);
    assertArrayEquals(before, lattice.checksum());
  }

  @Test
  void unionOfPartsEqualsWhole() {
    List<byte[]> elements = samples(20);
    LtHash16 whole = new LtHash16();
    elements.forEach(whole::addExpansion);
    LtHash16 left = new LtHash16();
    LtHash16 right = new LtHash16();
    elements.subList(0, 8).forEach(left::addExpansion);
    elements.subList(8, 20).forEach(right::addExpansion);
    left.add(right);
    assertArrayEquals(whole.checksum(), left.checksum());
    assertArrayEquals(whole.checksum(), LtHash16.fromChecksum(whole.checksum()).checksum());
  }

  @Test
  void emptyLatticeHasZeroChecksum() {
    assertArrayEquals(new byte[LtHash16.CHECKSUM_BYTES], new LtHash16().checksum());
  }

  @Test
  void lanesAreLittleEndianSumsModulo65536() {
    byte[] expansion = new byte[LtHash16.CHECKSUM_BYTES];
    expansion[0] = (byte) 0xff;
    expansion[1] = (byte) 0xff; // lane 0 = 65535
    expansion[2] = 0x01; // lane 1 = 1
    LtHash16 lattice = new LtHash16();
    lattice.addExpansion(expansion);
    lattice.addExpansion(expansion);
    byte[] checksum = lattice.checksum();
    assertEquals((byte) 0xfe, checksum[0]); // 2 × 65535 mod 65536 = 65534
    assertEquals((byte) 0xff, checksum[1]);
    assertEquals(2, checksum[2]);
  }

  @Test
  void relabelledSampleOrMovedChunkChangesTheElement() {
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    byte[] data = {1, 2, 3};
    byte[] cat =
        LatticeElements.expandSample(expander, key, "cat".getBytes(StandardCharsets.UTF_8), data);
    byte[] dog =
        LatticeElements.expandSample(expander, key, "dog".getBytes(StandardCharsets.UTF_8), data);
    assertFalse(java.util.Arrays.equals(cat, dog));
    // Length prefixes keep "ab"+"c" apart from "a"+"bc".
    byte[] split1 =
        LatticeElements.expandSample(
            expander,
            "ab".getBytes(StandardCharsets.UTF_8),
            "c".getBytes(StandardCharsets.UTF_8),
            data);
    byte[] split2 =
        LatticeElements.expandSample(
            expander,
            "a".getBytes(StandardCharsets.UTF_8),
            "bc".getBytes(StandardCharsets.UTF_8),
            data);
    assertFalse(java.util.Arrays.equals(split1, split2));
    byte[] at0 = LatticeElements.expandFileChunk(expander, 0, ByteBuffer.wrap(data));
    byte[] at4096 = LatticeElements.expandFileChunk(expander, 4096, ByteBuffer.wrap(data));
    assertFalse(java.util.Arrays.equals(at0, at4096));
  }
}
