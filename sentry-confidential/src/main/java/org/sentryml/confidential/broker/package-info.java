/**
 * Key release to attested hosts (DESIGN §9): the Trustee Key Broker Service attestation protocol,
 * version 0.4.0 — its messages ({@link org.sentryml.confidential.broker.KbsRequest}, {@link
 * org.sentryml.confidential.broker.KbsChallenge}, {@link
 * org.sentryml.confidential.broker.KbsAttestation}), the server core ({@link
 * org.sentryml.confidential.broker.BrokerService}: nonces, sessions, one key per request), the key
 * policy ({@link org.sentryml.confidential.broker.KeyPolicy}, deny by default), the hash-chained
 * audit log ({@link org.sentryml.confidential.broker.AuditLog}), the training checkpoint records
 * that let a trainer's resume refuse a rolled-back folder ({@link
 * org.sentryml.confidential.broker.CheckpointRecords}, Sentry's own endpoint), the keyset as a JWE
 * to the requester's ephemeral key ({@link org.sentryml.confidential.broker.KeysetJwe}), and the
 * clients that implement {@link org.sentryml.confidential.encryption.DataKeys}: {@link
 * org.sentryml.confidential.broker.KbsClient} (HTTPS to a key server) and {@link
 * org.sentryml.confidential.broker.KeyCacheClient} (a local key cache's Unix socket), which also
 * record checkpoints ({@link org.sentryml.confidential.broker.CheckpointRecorder}). No class here
 * opens a server socket; the HTTPS and Unix-socket servers are in {@code agent-keyserver}.
 */
package org.sentryml.confidential.broker;
