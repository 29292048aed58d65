package org.sentryml.data.hub;

/**
 * Receives download progress so that a caller can draw a progress bar. Called on the downloading
 * thread, at least once per file (also for files already in the cache, with {@code done == total});
 * implementations should return quickly.
 */
@FunctionalInterface
public interface DownloadProgress {
  /**
   * Reports how far the download of one file has come.
   *
   * @param path the repository path of the file
   * @param done bytes of the file present so far, resumed bytes included
   * @param total the file's size in bytes
   */
  void update(String path, long done, long total);

  /** A listener that ignores everything. */
  static DownloadProgress none() {
    return (path, done, total) -> {};
  }
}
