package org.sentryml.core.engine;

import org.sentryml.core.hashing.Digest;

/** The digest of one named resource. */
public record ResourceDigest(String name, Digest digest) {}
