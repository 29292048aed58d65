/**
 * Prints the unrolled rounds of BLAKE2b's compression function F (RFC 7693 section 3.2) as Java:
 * the two methods between the GENERATED markers of
 * sentry-core/src/main/java/org/sentryml/core/hashing/Blake2b.java. Unrolled, the message words
 * and the working vector live in locals, which lets the JIT keep them in registers; the test
 * Blake2bRoundsAreGeneratedTest regenerates them with this program and compares.
 *
 *   java tools/GenerateBlake2bRounds.java > rounds.txt
 */
public final class GenerateBlake2bRounds {
  /** The message schedule of RFC 7693 section 2.7. */
  private static final int[][] SIGMA = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
  };

  /** The columns, then the diagonals, each G call mixes. */
  private static final int[][] MIXES = {
    {0, 4, 8, 12}, {1, 5, 9, 13}, {2, 6, 10, 14}, {3, 7, 11, 15},
    {0, 5, 10, 15}, {1, 6, 11, 12}, {2, 7, 8, 13}, {3, 4, 9, 14},
  };

  private GenerateBlake2bRounds() {}

  public static void main(String[] args) {
    StringBuilder out = new StringBuilder();
    method(out, "Rounds 0 to 5", "roundsZeroToFive", 0);
    out.append('\n');
    method(out, "Rounds 6 to 11", "roundsSixToEleven", 6);
    System.out.print(out);
  }

  private static void method(StringBuilder out, String what, String name, int firstRound) {
    out.append("  /** ").append(what).append(" of F on the working vector {@code v}. */\n");
    out.append("  private static void ").append(name).append("(long[] v, long[] m) {\n");
    for (int i = 0; i < 16; i++) {
      out.append("    long m").append(i).append(" = m[").append(i).append("];\n");
    }
    for (int i = 0; i < 16; i++) {
      out.append("    long v").append(i).append(" = v[").append(i).append("];\n");
    }
    for (int round = firstRound; round < firstRound + 6; round++) {
      out.append("    // round ").append(round);
      if (round >= 10) {
        out.append(", message schedule of round ").append(round % 10);
      }
      out.append('\n');
      int[] s = SIGMA[round % 10];
      for (int g = 0; g < 8; g++) {
        int[] abcd = MIXES[g];
        mix(out, abcd[0], abcd[1], abcd[2], abcd[3], s[2 * g], s[2 * g + 1]);
      }
    }
    for (int i = 0; i < 16; i++) {
      out.append("    v[").append(i).append("] = v").append(i).append(";\n");
    }
    out.append("  }\n");
  }

  /** G(a, b, c, d, x, y), each half on two lines: rotations 32 and 24, then 16 and 63 (right). */
  private static void mix(StringBuilder out, int a, int b, int c, int d, int x, int y) {
    half(out, a, b, c, d, x, 32, 24);
    half(out, a, b, c, d, y, 16, 63);
  }

  private static void half(StringBuilder out, int a, int b, int c, int d, int word, int r1, int r2) {
    out.append(String.format("    v%d += v%d + m%d; v%d ^= v%d; v%d = (v%d >>> %d) | (v%d << %d);%n",
        a, b, word, d, a, d, d, r1, d, 64 - r1));
    out.append(String.format("    v%d += v%d; v%d ^= v%d; v%d = (v%d >>> %d) | (v%d << %d);%n",
        c, d, b, c, b, b, r2, b, 64 - r2));
  }
}
