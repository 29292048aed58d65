package org.sentryml.cli;

import org.sentryml.core.errors.UsageException;

/** A {@code --range FILE:START:END} argument; the file name may itself contain colons. */
record FileRange(String file, long start, long end) {
  static FileRange parse(String text) {
    int last = text.lastIndexOf(':');
    int middle = last > 0 ? text.lastIndexOf(':', last - 1) : -1;
    if (middle <= 0) {
      throw new UsageException("--range must be FILE:START:END, not '" + text + "'");
    }
    long start;
    long end;
    try {
      start = Long.parseLong(text.substring(middle + 1, last));
      end = Long.parseLong(text.substring(last + 1));
    } catch (NumberFormatException e) {
      throw new UsageException("--range " + text + ": START and END must be byte offsets");
    }
    if (start < 0 || end < start) {
      throw new UsageException("--range " + text + ": need 0 <= START <= END");
    }
    return new FileRange(text.substring(0, middle), start, end);
  }
}
