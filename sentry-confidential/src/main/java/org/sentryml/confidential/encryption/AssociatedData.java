package org.sentryml.confidential.encryption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The associated data every ciphertext of an encrypted folder is bound to, as canonical JSON
 * ({@link CanonicalJson}; byte for byte in docs/FORMAT.md). A file's binds the format, the key id,
 * the artifact, its version and the file's path, so a file authenticates only under its own name in
 * its own artifact version. The header's seal binds every field of the header. The two never
 * coincide: only a file's has a {@code path} member, only the header's a {@code files} member.
 * Stateless.
 */
final class AssociatedData {
  private AssociatedData() {}

  /**
   * {@code {"artifact":A,"format":F,"key_id":K,"path":P,"version":V}}, for example {@code
   * {"artifact":"mnist-cnn","format":"https://sentryml.org/encrypted-artifact/v1","key_id":"sentry:model/mnist-cnn@3","path":"model.params","version":"3"}}.
   */
  static byte[] ofFile(KeyId keyId, String path) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("artifact", keyId.artifact());
    object.put("format", EncryptionHeader.FORMAT);
    object.put("key_id", keyId.toString());
    object.put("path", path);
    object.put("version", keyId.version());
    return CanonicalJson.encode(object);
  }

  /**
   * Every field of the header but its seal: {@code
   * {"artifact":A,"encryption":E,"files":[{"path":P,"size":N},...],"format":F,"key_id":K,"layout":L,"segment_size":S,"version":V}},
   * the files in the header's (canonical) order.
   */
  static byte[] ofHeader(EncryptionHeader header) {
    List<Object> files = new ArrayList<>(header.files().size());
    for (EncryptionHeader.FileEntry entry : header.files()) {
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("path", entry.path());
      file.put("size", entry.size());
      files.add(file);
    }
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("artifact", header.keyId().artifact());
    object.put("encryption", StreamingScheme.NAME);
    object.put("files", files);
    object.put("format", EncryptionHeader.FORMAT);
    object.put("key_id", header.keyId().toString());
    object.put("layout", header.layout().id());
    object.put("segment_size", (long) StreamingScheme.SEGMENT_SIZE);
    object.put("version", header.keyId().version());
    return CanonicalJson.encode(object);
  }
}
