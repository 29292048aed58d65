package org.sentryml.core.attestation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sentryml.core.engine.ResourceDigest;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.hashing.HashAlgorithm;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;
import org.sentryml.core.manifest.CanonicalOrder;
import org.sentryml.core.manifest.Manifest;
import org.sentryml.core.manifest.Serialization;
import org.sentryml.core.manifest.SerializationMethod;
import org.sentryml.core.manifest.Workflow;
import org.sentryml.core.tree.LtHash16;

/**
 * Encodes a {@link Manifest} as an in-toto Statement v1 and decodes one back, validating every
 * field of an untrusted statement before it is used (see docs/FORMAT.md). {@code files} and {@code
 * shards} use the OMS v1.0 predicate, field for field as model_signing writes it; {@code merkle}
 * and {@code lattice} use Sentry's own predicate type.
 */
public final class StatementCodec {
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String OMS_PREDICATE = "https://model_signing/signature/v1.0";
  public static final String SENTRY_PREDICATE = "https://sentryml.org/predicates/manifest/v1";

  /**
   * The most resources a statement may list (documented in docs/FORMAT.md): enough for any model
   * folder a bundle of {@link org.sentryml.core.io.BoundedFiles#MAX_BUNDLE_BYTES} can describe, and
   * a bound on the memory a hostile statement can make a verifier spend.
   */
  public static final int MAX_RESOURCES = 500_000;

  private static final HexFormat HEX = HexFormat.of();

  private StatementCodec() {}

  public static JsonObject encode(Manifest manifest) {
    Serialization s = manifest.serialization();
    JsonObject serialization = new JsonObject();
    serialization.addProperty("method", s.method().id());
    serialization.addProperty("hash_type", s.hashType().id());
    serialization.addProperty("allow_symlinks", s.allowSymlinks());
    JsonArray ignore = new JsonArray();
    s.ignorePaths().forEach(ignore::add);
    serialization.add("ignore_paths", ignore);
    switch (s.method()) {
      case SHARDS -> serialization.addProperty("shard_size", s.shardSize());
      case MERKLE, LATTICE -> {
        serialization.addProperty("leaf_size", s.leafSize());
        serialization.addProperty("workflow", s.workflow().id());
      }
      case FILES -> {}
    }
    JsonArray resources = new JsonArray();
    for (ResourceDigest resource : manifest.resources()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("algorithm", resource.digest().algorithm());
      entry.addProperty("digest", resource.digest().hex());
      entry.addProperty("name", resource.name());
      if (s.method() == SerializationMethod.LATTICE) {
        entry.addProperty(
            "checksum", Base64.getEncoder().encodeToString(resource.latticeChecksum()));
      }
      resources.add(entry);
    }
    JsonObject predicate = new JsonObject();
    predicate.add("serialization", serialization);
    predicate.add("resources", resources);

    return statement(
        manifest.modelName(),
        manifest.root(),
        s.method().oms() ? OMS_PREDICATE : SENTRY_PREDICATE,
        predicate);
  }

  /**
   * An in-toto Statement v1 with one subject named {@code subjectName} whose {@code sha256} digest
   * is {@code root}; fields in the order every Sentry statement writes them.
   */
  static JsonObject statement(
      String subjectName, Digest root, String predicateType, JsonObject predicate) {
    JsonObject digest = new JsonObject();
    digest.addProperty("sha256", root.hex());
    JsonObject subject = new JsonObject();
    subject.addProperty("name", subjectName);
    subject.add("digest", digest);
    JsonArray subjects = new JsonArray();
    subjects.add(subject);
    JsonObject statement = new JsonObject();
    statement.addProperty("_type", STATEMENT_TYPE);
    statement.add("subject", subjects);
    statement.addProperty("predicateType", predicateType);
    statement.add("predicate", predicate);
    return statement;
  }

  /**
   * Parses a statement of {@code predicateType} with exactly one subject, checking {@code _type}
   * and the predicate type; BAD_INPUT naming the field otherwise.
   *
   * @param what names the signature file in messages
   */
  static JsonFields parseSingleSubject(byte[] statement, String predicateType, String what) {
    JsonFields json = new JsonFields(StrictJson.parseObject(statement, what), "", what);
    if (!STATEMENT_TYPE.equals(json.string("_type"))) {
      throw json.error("_type", "must be " + STATEMENT_TYPE);
    }
    if (!predicateType.equals(json.string("predicateType"))) {
      throw json.error(
          "predicateType", "must be " + predicateType + ", got " + json.string("predicateType"));
    }
    JsonArray subjects = json.array("subject");
    if (subjects.size() != 1) {
      throw json.error("subject", "must hold exactly one subject, not " + subjects.size());
    }
    return json;
  }

  /**
   * Parses the signed statement bytes strictly (UTF-8, no byte order mark, no duplicate keys) and
   * decodes them as by {@link #decode(JsonObject, List)}.
   *
   * @throws SentryException BAD_INPUT naming the offending field
   */
  public static Manifest decode(byte[] statement, List<String> extraIgnorePaths) {
    return decode(StrictJson.parseObject(statement, "statement"), extraIgnorePaths);
  }

  /**
   * Decodes and validates a statement already parsed by {@link StrictJson} (or built by {@link
   * #encode}). {@code extraIgnorePaths} (from the command line) are added to those recorded in the
   * statement, for bundles of model_signing releases that record none.
   *
   * @throws SentryException BAD_INPUT naming the offending field
   */
  static Manifest decode(JsonObject statement, List<String> extraIgnorePaths) {
    requireString(statement, "_type", STATEMENT_TYPE);
    JsonArray subjects = array(statement, "subject");
    if (subjects.size() != 1) {
      throw bad("statement has " + subjects.size() + " subjects; exactly one is expected");
    }
    JsonObject subject = object(subjects.get(0), "subject[0]");
    String modelName = string(subject, "name", "subject[0].name");
    Digest subjectDigest =
        hexDigest(
            string(
                object(subject.get("digest"), "subject[0].digest"),
                "sha256",
                "subject[0].digest.sha256"),
            HashAlgorithm.SHA256,
            "subject[0].digest.sha256");

    String predicateType = string(statement, "predicateType", "predicateType");
    JsonObject predicate = object(statement.get("predicate"), "predicate");
    Serialization serialization =
        serialization(
            object(predicate.get("serialization"), "predicate.serialization"),
            predicateType,
            extraIgnorePaths);

    List<ResourceDigest> resources = new ArrayList<>();
    Set<String> names = new HashSet<>();
    JsonArray entries = array(predicate, "resources");
    if (entries.size() > MAX_RESOURCES) {
      throw bad(
          String.format(
              Locale.ROOT,
              "predicate.resources lists %d resources; at most %d are accepted",
              entries.size(),
              MAX_RESOURCES));
    }
    String expectedAlgorithm = serialization.resourceAlgorithm();
    for (int i = 0; i < entries.size(); i++) {
      String field = "predicate.resources[" + i + "]";
      JsonObject entry = object(entries.get(i), field);
      String name = string(entry, "name", field + ".name");
      checkResourceName(name, serialization.method(), field + ".name");
      if (!names.add(name)) {
        throw bad(field + ".name '" + name + "' appears twice");
      }
      String algorithm = string(entry, "algorithm", field + ".algorithm");
      if (!algorithm.equals(expectedAlgorithm)) {
        throw bad(
            String.format(
                Locale.ROOT,
                "%s.algorithm is '%s', but the serialization implies '%s'",
                field,
                algorithm,
                expectedAlgorithm));
      }
      Digest digest =
          hexDigest(
              string(entry, "digest", field + ".digest"),
              serialization.hashType(),
              field + ".digest",
              algorithm);
      byte[] checksum =
          serialization.method() == SerializationMethod.LATTICE
              ? latticeChecksum(entry, digest, field)
              : new byte[0];
      resources.add(new ResourceDigest(name, digest, checksum));
    }
    // The order of the entries carries no meaning: names are unique and the root is defined over
    // canonical order (the OMS rule), so a signer that listed them in another order signed the
    // same manifest. model_signing accepts any order too.
    resources.sort((a, b) -> CanonicalOrder.NAMES.compare(a.name(), b.name()));
    Manifest manifest = Manifest.of(modelName, serialization, resources);
    if (!manifest.root().matches(subjectDigest)) {
      throw bad(
          "subject[0].digest.sha256 "
              + subjectDigest.hex()
              + " is not the root of the listed resources ("
              + manifest.root().hex()
              + ")");
    }
    return manifest;
  }

  private static Serialization serialization(
      JsonObject json, String predicateType, List<String> extraIgnorePaths) {
    String methodId = string(json, "method", "predicate.serialization.method");
    SerializationMethod method =
        SerializationMethod.byId(methodId)
            .orElseThrow(
                () ->
                    bad(
                        "predicate.serialization.method '"
                            + methodId
                            + "' is not one of "
                            + SerializationMethod.ids()));
    String expectedType = method.oms() ? OMS_PREDICATE : SENTRY_PREDICATE;
    if (!predicateType.equals(expectedType)) {
      throw bad(
          "predicateType '"
              + predicateType
              + "' does not match method "
              + methodId
              + " (expected "
              + expectedType
              + ")");
    }
    String hashId = string(json, "hash_type", "predicate.serialization.hash_type");
    HashAlgorithm hashType =
        HashAlgorithm.byId(hashId)
            .orElseThrow(
                () -> bad("predicate.serialization.hash_type '" + hashId + "' is not supported"));
    boolean allowSymlinks =
        json.has("allow_symlinks")
            && bool(json.get("allow_symlinks"), "predicate.serialization.allow_symlinks");
    List<String> ignorePaths = new ArrayList<>(extraIgnorePaths);
    if (json.has("ignore_paths")) {
      JsonArray paths = array(json, "ignore_paths");
      for (int i = 0; i < paths.size(); i++) {
        String field = "predicate.serialization.ignore_paths[" + i + "]";
        ignorePaths.add(ResourceNames.checkPath(primitiveString(paths.get(i), field), field));
      }
    }
    try {
      return switch (method) {
        case FILES -> Serialization.files(hashType, allowSymlinks, ignorePaths);
        case SHARDS ->
            Serialization.shards(hashType, integer(json, "shard_size"), allowSymlinks, ignorePaths);
        case MERKLE, LATTICE -> {
          long leaf = integer(json, "leaf_size");
          if (leaf > Integer.MAX_VALUE) {
            throw bad("predicate.serialization.leaf_size " + leaf + " is too large");
          }
          String workflowId = string(json, "workflow", "predicate.serialization.workflow");
          Workflow workflow =
              Workflow.byId(workflowId)
                  .orElseThrow(
                      () ->
                          bad(
                              "predicate.serialization.workflow '"
                                  + workflowId
                                  + "' is not one of "
                                  + Workflow.ids()));
          yield new Serialization(
              method, hashType, 0, (int) leaf, workflow, allowSymlinks, ignorePaths);
        }
      };
    } catch (SentryException e) {
      if (e instanceof MalformedInputException) {
        throw e;
      }
      throw bad("predicate.serialization: " + e.getMessage());
    }
  }

  private static void checkResourceName(String name, SerializationMethod method, String field) {
    String path = name;
    if (method == SerializationMethod.SHARDS) {
      String[] parts = name.split(":", -1);
      if (parts.length < 3) {
        throw bad(field + " '" + name + "' is not of the form path:start:end");
      }
      long start = parseLong(parts[parts.length - 2], field);
      long end = parseLong(parts[parts.length - 1], field);
      if (start < 0 || end <= start) {
        throw bad(field + " '" + name + "' has an empty or negative byte range");
      }
      path =
          name.substring(
              0,
              name.length()
                  - parts[parts.length - 1].length()
                  - parts[parts.length - 2].length()
                  - 2);
    } else {
      int hash = name.indexOf('#');
      if (hash > 0) {
        path = name.substring(0, hash);
      }
    }
    ResourceNames.checkPath(path, field);
  }

  /** The lattice checksum must be 2048 bytes whose BLAKE2b-256 is the signed digest. */
  private static byte[] latticeChecksum(JsonObject entry, Digest digest, String field) {
    byte[] checksum;
    try {
      checksum = Base64.getDecoder().decode(string(entry, "checksum", field + ".checksum"));
    } catch (IllegalArgumentException e) {
      throw bad(field + ".checksum is not base64");
    }
    if (checksum.length != LtHash16.CHECKSUM_BYTES
        || !MessageDigest.isEqual(LtHash16.fromChecksum(checksum).digest(), digest.value())) {
      throw bad(
          field
              + ".checksum is not the "
              + LtHash16.CHECKSUM_BYTES
              + "-byte checksum behind "
              + field
              + ".digest");
    }
    return checksum;
  }

  private static Digest hexDigest(String hex, HashAlgorithm algorithm, String field) {
    return hexDigest(hex, algorithm, field, algorithm.id());
  }

  private static Digest hexDigest(String hex, HashAlgorithm algorithm, String field, String name) {
    int bytes = name.startsWith("lthash") ? 32 : algorithm.digestLength();
    if (hex.length() != 2 * bytes || !hex.matches("[0-9a-f]+")) {
      throw bad(
          String.format(
              Locale.ROOT,
              "%s must be %d lowercase hex characters, not '%s'",
              field,
              2 * bytes,
              hex));
    }
    return new Digest(name, HEX.parseHex(hex));
  }

  private static long parseLong(String text, String field) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw bad(field + ": '" + text + "' is not a number");
    }
  }

  private static long integer(JsonObject json, String key) {
    String field = "predicate.serialization." + key;
    JsonElement value = json.get(key);
    long number =
        StrictJson.canonicalUnsigned(value)
            .orElseThrow(
                () ->
                    bad(
                        field
                            + " must be a positive whole number written without sign, fraction or exponent, not "
                            + value));
    if (number <= 0) {
      throw bad(field + " must be a positive whole number, not " + value);
    }
    return number;
  }

  private static void requireString(JsonObject json, String key, String expected) {
    String actual = string(json, key, key);
    if (!actual.equals(expected)) {
      throw bad(key + " is '" + actual + "', expected '" + expected + "'");
    }
  }

  private static String string(JsonObject json, String key, String field) {
    return primitiveString(json.get(key), field);
  }

  private static String primitiveString(JsonElement value, String field) {
    if (value == null || !value.isJsonPrimitive() || !((JsonPrimitive) value).isString()) {
      throw bad(field + " must be a string");
    }
    return value.getAsString();
  }

  private static boolean bool(JsonElement value, String field) {
    if (!value.isJsonPrimitive() || !((JsonPrimitive) value).isBoolean()) {
      throw bad(field + " must be true or false");
    }
    return value.getAsBoolean();
  }

  private static JsonObject object(JsonElement value, String field) {
    if (value == null || !value.isJsonObject()) {
      throw bad(field + " must be a JSON object");
    }
    return value.getAsJsonObject();
  }

  private static JsonArray array(JsonObject json, String key) {
    JsonElement value = json.get(key);
    if (value == null || !value.isJsonArray()) {
      throw bad(key + " must be a JSON array");
    }
    return value.getAsJsonArray();
  }

  private static SentryException bad(String message) {
    return new MalformedInputException("malformed statement: " + message);
  }
}
