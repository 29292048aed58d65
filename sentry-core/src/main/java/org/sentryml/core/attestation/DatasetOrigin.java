package org.sentryml.core.attestation;

import com.google.gson.JsonObject;
import java.util.Objects;
import org.sentryml.core.json.JsonFields;

/**
 * Where a prepared dataset came from: the Hub repository id, the revision asked for and the commit
 * it resolved to (so the upstream bytes are pinned).
 */
public record DatasetOrigin(String id, String revision, String commit) {
  public DatasetOrigin {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(commit, "commit");
  }

  /**
   * The dataset's short name: the last part of its id ({@code uoft-cs/cifar10} gives {@code
   * cifar10}).
   */
  public String name() {
    return id.substring(id.lastIndexOf('/') + 1);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("id", id);
    json.addProperty("revision", revision);
    json.addProperty("commit", commit);
    return json;
  }

  public static DatasetOrigin fromJson(JsonFields fields) {
    return new DatasetOrigin(
        fields.string("id"), fields.string("revision"), fields.string("commit"));
  }
}
