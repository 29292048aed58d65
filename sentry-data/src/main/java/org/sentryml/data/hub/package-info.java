/**
 * A Hugging Face Hub client for dataset repositories and a loopback Hub to test it against.
 *
 * <p>{@link org.sentryml.data.hub.HubClient} pins a revision to a commit, lists its files, picks
 * the parquet files of one configuration ({@link org.sentryml.data.hub.SplitLayout}) and downloads
 * them, resumably and checked against the published SHA-256, into the standard HF cache ({@link
 * org.sentryml.data.hub.HubCache}); {@link org.sentryml.data.hub.HubClient#offline} reads the same
 * cache without a network. {@link org.sentryml.data.hub.LocalHubServer} serves a folder of
 * repositories through the same HTTP routes, for the demo's {@code --hub-mirror} and for tests.
 *
 * <p>Exit codes: {@code 1} a downloaded file's size or digest differs from the listing; {@code 2}
 * the Hub refused access (401/403: token missing or invalid) or the configuration is missing or
 * ambiguous; {@code 3} dataset, revision or file not found (404) or a malformed answer; {@code 4}
 * network or disk failure, a body that ended early (the partial file is kept for resuming), or an
 * offline lookup the cache cannot answer.
 */
package org.sentryml.data.hub;
