package org.sentryml.data.dataset;

/** What a sample's payload holds; the name is the shard member's extension. */
public enum SampleKind {
  IMAGE("png"),
  TEXT("txt");

  private final String extension;

  SampleKind(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }
}
