package org.sentryml.core.manifest;

import java.nio.file.Path;
import org.sentryml.core.errors.MalformedInputException;

/**
 * A safetensors file whose header does not describe the file exactly. Bad input when signing or
 * hashing; when verifying, the file on disk is no longer the one that was signed (a signed file's
 * header was valid), so verification turns it into a failed verification.
 */
public final class MalformedSafetensorsException extends MalformedInputException {
  private static final long serialVersionUID = 1L;

  MalformedSafetensorsException(Path file, String why) {
    super(file, "malformed safetensors file " + file + ": " + why, null);
  }
}
