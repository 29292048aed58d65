import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the class files of a launcher's library jar that are older than Java 6 (major version
 * 50) as Java 8 class files (52) with stack map frames, the instructions left as they are.
 *
 * <p>Why: the JVM checks pre-Java-6 class files with the old type-inferring verifier, and a
 * class-data-sharing archive refuses them ("Old class has been linked"), so every start of a
 * launcher parsed, verified and linked picocli's 170-odd classes again (picocli is compiled for Java
 * 5). Upgraded, they are archived like every other class: about 50 ms less per command start
 * (docs/BENCHMARKS.md, "Start-up"). The frames are computed by the JDK's own class-file library,
 * and the JVM's split verifier checks them when the classes are archived and loaded, so a wrong
 * frame is a VerifyError at build time, not a silent change.
 *
 * <p>Usage: {@code java UpgradeClassFiles.java JAR}. Needs JDK 24 or newer (java.lang.classfile).
 * Idempotent: a jar without old class files is left untouched. Entries keep their order, times and
 * every other byte, so the output is as reproducible as the input. Refuses a signed jar, whose
 * signature the rewrite would break.
 */
public final class UpgradeClassFiles {
  private static final int OLDEST_KEPT = 50;
  private static final int UPGRADED = 52;

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java UpgradeClassFiles.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Map<ZipEntry, byte[]> entries = read(jar);
    Map<String, byte[]> byName = new LinkedHashMap<>();
    entries.forEach((entry, bytes) -> byName.put(entry.getName(), bytes));
    for (String name : byName.keySet()) {
      if (name.startsWith("META-INF/") && name.endsWith(".SF")) {
        fail(jar + " is signed; upgrading its class files would break the signature");
      }
    }
    ClassFile library =
        ClassFile.of(
            ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.ofResourceParsing(
                        desc -> {
                          String d = desc.descriptorString();
                          byte[] own = byName.get(d.substring(1, d.length() - 1) + ".class");
                          return own == null ? null : new ByteArrayInputStream(own);
                        })
                    .orElse(ClassHierarchyResolver.defaultResolver())),
            ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
    ClassTransform newVersion =
        (builder, element) -> {
          if (element instanceof ClassFileVersion) {
            builder.withVersion(UPGRADED, 0);
          } else {
            builder.with(element);
          }
        };
    // Passing each method body through a code transform makes the library rebuild it, frames
    // included; untransformed bodies would be copied without frames.
    ClassTransform upgrade =
        newVersion.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
    int upgraded = 0;
    for (Map.Entry<ZipEntry, byte[]> entry : entries.entrySet()) {
      String name = entry.getKey().getName();
      if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
        continue;
      }
      ClassModel model = ClassFile.of().parse(entry.getValue());
      if (model.majorVersion() < OLDEST_KEPT) {
        entry.setValue(library.transformClass(model, upgrade));
        upgraded++;
      }
    }
    if (upgraded == 0) {
      return;
    }
    Path temporary = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
    try {
      write(temporary, entries);
      Files.move(temporary, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    System.out.println("upgraded " + upgraded + " class files of " + jar.getFileName() + " to Java 8");
  }

  private static Map<ZipEntry, byte[]> read(Path jar) throws IOException {
    Map<ZipEntry, byte[]> entries = new LinkedHashMap<>();
    try (InputStream file = Files.newInputStream(jar);
        ZipInputStream zip = new ZipInputStream(file)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry, zip.readAllBytes());
      }
    }
    return entries;
  }

  private static void write(Path target, Map<ZipEntry, byte[]> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(target);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<ZipEntry, byte[]> entry : entries.entrySet()) {
        ZipEntry copy = new ZipEntry(entry.getKey().getName());
        copy.setTime(entry.getKey().getTime());
        zip.putNextEntry(copy);
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
  }

  private static void fail(String message) {
    System.err.println("UpgradeClassFiles: " + message);
    System.exit(1);
  }
}
