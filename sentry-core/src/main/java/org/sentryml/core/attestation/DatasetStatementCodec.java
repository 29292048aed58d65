package org.sentryml.core.attestation;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.sentryml.core.hashing.Digest;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.manifest.ManifestRoot;
import org.sentryml.core.tree.LtHash16;

/**
 * The in-toto statement in {@code dataset_<source>.sig}: one data source's lattice digests per
 * split, bound to the upstream dataset and commit. The subject digest is the manifest-root rule
 * applied to the split digests (SHA-256 over them concatenated in split-name order), so the
 * provenance can refer to a source by one SHA-256. Format in docs/FORMAT.md.
 */
public final class DatasetStatementCodec {
  public static final String PREDICATE = "https://sentryml.org/predicates/dataset-source/v1";

  private DatasetStatementCodec() {}

  /** A signed source as decoded: what the signer saw when it trained. */
  public record SignedSource(
      DatasetOrigin origin, String source, String shard, List<SplitDigest> splits, Digest root) {
    public SignedSource {
      splits = List.copyOf(splits);
    }
  }

  /** The subject name of a source: {@code <dataset id>/<source>}. */
  public static String subjectName(DatasetOrigin origin, String source) {
    return origin.id() + "/" + source;
  }

  /** SHA-256 over the splits' lattice digests in split-name order. */
  public static Digest root(List<SplitDigest> splits) {
    return ManifestRoot.of(
        splits.stream()
            .sorted(Comparator.comparing(SplitDigest::split))
            .map(SplitDigest::digest)
            .toList());
  }

  /** The statement's bytes as signed: compact JSON, fields in a fixed order. */
  public static byte[] encode(
      DatasetOrigin origin, String source, String shard, List<SplitDigest> splits) {
    List<SplitDigest> ordered =
        splits.stream().sorted(Comparator.comparing(SplitDigest::split)).toList();
    JsonObject dataset = new JsonObject();
    dataset.addProperty("id", origin.id());
    dataset.addProperty("revision", origin.revision());
    dataset.addProperty("commit", origin.commit());
    JsonArray splitArray = new JsonArray();
    for (SplitDigest split : ordered) {
      JsonObject entry = new JsonObject();
      entry.addProperty("split", split.split());
      entry.addProperty("samples", split.samples());
      entry.addProperty("algorithm", LtHash16.NAME);
      entry.addProperty("digest", split.digest().hex());
      entry.addProperty("checksum", Base64.getEncoder().encodeToString(split.lattice().checksum()));
      splitArray.add(entry);
    }
    JsonObject predicate = new JsonObject();
    predicate.add("dataset", dataset);
    predicate.addProperty("source", source);
    predicate.addProperty("shard", shard);
    predicate.addProperty("element", "sample-v1");
    predicate.add("splits", splitArray);

    JsonObject statement =
        StatementCodec.statement(subjectName(origin, source), root(ordered), PREDICATE, predicate);
    return new GsonBuilder()
        .disableHtmlEscaping()
        .create()
        .toJson(statement)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes a verified statement, checking every field: the statement and predicate types, each
   * checksum against its digest, and the subject against the splits.
   *
   * @param what names the signature file in messages
   */
  public static SignedSource decode(byte[] statement, String what) {
    JsonFields json = StatementCodec.parseSingleSubject(statement, PREDICATE, what);
    JsonFields subject = json.element("subject", json.array("subject"), 0);
    String subjectHex = subject.object("digest").string("sha256");
    JsonFields predicate = json.object("predicate");
    JsonFields dataset = predicate.object("dataset");
    DatasetOrigin origin =
        new DatasetOrigin(
            dataset.string("id"), dataset.string("revision"), dataset.string("commit"));
    String source = predicate.string("source");
    if (!predicate.string("element").equals("sample-v1")) {
      throw predicate.error("element", "must be sample-v1");
    }
    List<SplitDigest> splits = new ArrayList<>();
    JsonArray array = predicate.array("splits");
    for (int i = 0; i < array.size(); i++) {
      JsonFields entry = predicate.element("splits", array, i);
      if (!LtHash16.NAME.equals(entry.string("algorithm"))) {
        throw entry.error("algorithm", "must be " + LtHash16.NAME);
      }
      byte[] checksum = entry.base64("checksum");
      if (checksum.length != LtHash16.CHECKSUM_BYTES) {
        throw entry.error(
            "checksum", "must hold " + LtHash16.CHECKSUM_BYTES + " bytes, not " + checksum.length);
      }
      SplitDigest split =
          new SplitDigest(
              entry.string("split"), entry.int64("samples"), LtHash16.fromChecksum(checksum));
      if (!split.digest().hex().equals(entry.string("digest").toLowerCase(Locale.ROOT))) {
        throw entry.error("digest", "is not the BLAKE2b-256 of the checksum");
      }
      if (splits.stream().anyMatch(s -> s.split().equals(split.split()))) {
        throw entry.error("split", "'" + split.split() + "' appears twice");
      }
      splits.add(split);
    }
    Digest root = root(splits);
    if (!subjectHex.equalsIgnoreCase(HexFormat.of().formatHex(root.value()))) {
      throw subject.error(
          "digest",
          "sha256 " + subjectHex + " is not the root of the listed splits (" + root.hex() + ")");
    }
    if (!subject.string("name").equals(subjectName(origin, source))) {
      throw subject.error("name", "must be " + subjectName(origin, source));
    }
    return new SignedSource(origin, source, predicate.string("shard"), splits, root);
  }
}
