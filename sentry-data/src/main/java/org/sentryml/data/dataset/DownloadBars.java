package org.sentryml.data.dataset;

import org.sentryml.core.io.TaskProgress;
import org.sentryml.data.hub.DownloadProgress;

/** Turns the Hub client's per-file byte counts into one progress bar per file. */
final class DownloadBars implements DownloadProgress {
  private final TaskProgress progress;
  private String current;
  private long shown;

  DownloadBars(TaskProgress progress) {
    this.progress = progress;
  }

  @Override
  public void update(String path, long done, long total) {
    if (!path.equals(current)) {
      finish();
      current = path;
      shown = 0;
      progress.start("download " + path, total, "bytes");
    }
    if (done > shown) {
      progress.advance(done - shown);
      shown = done;
    }
  }

  void finish() {
    if (current != null) {
      progress.finish();
      current = null;
    }
  }
}
