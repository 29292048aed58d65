package org.sentryml.confidential.broker;

import org.sentryml.confidential.encryption.DataKeys;

/**
 * What an agent gets from a key server, directly ({@link KbsClient}) or through a local key cache
 * ({@link KeyCacheClient}): data keys, and the records of its training checkpoints. Thread-safe.
 */
public interface BrokerClient extends DataKeys, CheckpointRecorder {}
