package org.sentryml.data.hub;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a dataset repository at a commit, as the Hub's tree listing describes it.
 *
 * @param path the repository-relative path with {@code /} separators; never absolute, never with
 *     {@code .} or {@code ..} segments, so it can be placed under a snapshot folder safely
 * @param size the file's size in bytes (the LFS object's size for LFS files)
 * @param gitOid the git object id of what git stores: the file itself, or its LFS pointer
 * @param sha256 the LFS object's SHA-256 in lower-case hex, or {@code null} for a file that is not
 *     stored through LFS
 */
public record HubFile(String path, long size, String gitOid, String sha256) {
  private static final Pattern SHA1_HEX = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public HubFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(gitOid, "gitOid");
    HubNames.checkRelativePath(path);
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size + " for " + path);
    }
    if (!SHA1_HEX.matcher(gitOid).matches()) {
      throw new IllegalArgumentException("git oid of " + path + " is not 40 hex digits: " + gitOid);
    }
    if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 of " + path + " is not 64 hex digits: " + sha256);
    }
  }

  /** Whether the file is stored through git LFS (and so has a published SHA-256). */
  public boolean isLfs() {
    return sha256 != null;
  }

  /**
   * The name the Hub gives the file's content and the HF cache uses for its blob: the SHA-256 for
   * LFS files, the git blob id otherwise.
   */
  public String etag() {
    return sha256 != null ? sha256 : gitOid;
  }
}
