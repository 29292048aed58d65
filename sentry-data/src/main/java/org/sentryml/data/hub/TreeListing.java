package org.sentryml.data.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.json.Unsigned64;

/**
 * Parses the Hub's JSON answers: the revision document ({@code sha}) and the pages of a recursive
 * tree listing ({@code [{type, path, size, oid, lfs: {oid, size}}]}), with pages chained by a
 * {@code Link: <url>; rel="next"} header.
 */
final class TreeListing {
  private TreeListing() {}

  /** The {@code sha} of a revision document. */
  static String commitOf(String json, String what) {
    try {
      JsonObject object = JsonParser.parseString(json).getAsJsonObject();
      String sha = object.get("sha").getAsString();
      if (!HubNames.isCommit(sha)) {
        throw malformed(what, "'sha' is not a 40-hex commit id: " + sha, null);
      }
      return sha;
    } catch (JsonParseException
        | IllegalStateException
        | NullPointerException
        | UnsupportedOperationException e) {
      throw malformed(what, "no 'sha' field", e);
    }
  }

  /** The files (not folders) of one page of a tree listing. */
  static List<HubFile> filesOf(String json, String what) {
    List<HubFile> files = new ArrayList<>();
    try {
      for (JsonElement element : JsonParser.parseString(json).getAsJsonArray()) {
        JsonObject entry = element.getAsJsonObject();
        if (!"file".equals(entry.get("type").getAsString())) {
          continue;
        }
        String path = entry.get("path").getAsString();
        long size = size(entry.get("size"), path, what);
        String oid = entry.get("oid").getAsString();
        String sha256 = null;
        JsonElement lfs = entry.get("lfs");
        if (lfs != null && lfs.isJsonObject()) {
          sha256 = lfs.getAsJsonObject().get("oid").getAsString();
          // For LFS files the listing's size can be the pointer's on older servers; the object's
          // wins.
          size = size(lfs.getAsJsonObject().get("size"), path, what);
        }
        try {
          files.add(new HubFile(path, size, oid, sha256));
        } catch (IllegalArgumentException e) {
          throw malformed(what, e.getMessage(), e);
        }
      }
    } catch (JsonParseException
        | IllegalStateException
        | NullPointerException
        | UnsupportedOperationException
        | NumberFormatException e) {
      throw malformed(what, "unexpected entry shape", e);
    }
    return files;
  }

  /**
   * A listed size: an unsigned integer, never rounded from a fraction or wrapped from a huge one.
   */
  private static long size(JsonElement size, String path, String what) {
    try {
      return Unsigned64.parse(size);
    } catch (NumberFormatException e) {
      throw malformed(what, "the size of " + path + " " + e.getMessage(), e);
    }
  }

  /**
   * The {@code rel="next"} target of {@code Link} header values, resolved against {@code page}.
   *
   * @throws SentryException {@link MalformedInputException} when the target is not a URI
   */
  static Optional<URI> nextPage(List<String> linkHeaders, URI page) {
    for (String header : linkHeaders) {
      for (String link : header.split(",", -1)) {
        int open = link.indexOf('<');
        int close = link.indexOf('>', open + 1);
        if (open < 0 || close < 0) {
          continue;
        }
        String params = link.substring(close + 1).replace(" ", "");
        if (params.contains("rel=\"next\"") || params.contains("rel=next")) {
          String target = link.substring(open + 1, close).strip();
          try {
            return Optional.of(page.resolve(target));
          } catch (IllegalArgumentException e) {
            throw malformed(
                "the next page of " + page,
                "its Link header names '" + target + "', which is not a URI",
                e);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static SentryException malformed(String what, String detail, Throwable cause) {
    return new MalformedInputException(
        "unexpected answer from the hub for " + what + ": " + detail, cause);
  }
}
