package org.sentryml.core.manifest;

import java.nio.file.Path;

/**
 * A regular file of a model.
 *
 * @param name relative POSIX path inside the model, {@code "."} when the model is this one file
 * @param path where the bytes are read from (the link target when a permitted link was followed)
 * @param size length in bytes when the folder was listed
 */
public record ModelFile(String name, Path path, long size) {}
