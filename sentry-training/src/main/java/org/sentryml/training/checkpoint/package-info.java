/**
 * Training checkpoints (DESIGN §10): what a run needs to continue after a crash exactly where it
 * stopped, written crash-consistently, authenticated (and encrypted) per file with the run id, step
 * and file name as associated data, and recorded in a {@link
 * org.sentryml.training.checkpoint.CheckpointLedger} so a rolled-back folder is refused. Byte
 * layout in docs/FORMAT.md, "Training checkpoints".
 */
package org.sentryml.training.checkpoint;
