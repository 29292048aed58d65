/**
 * Evidence of trusted execution environments (DESIGN §9): verifiers of Intel TDX and SGX quotes,
 * AMD SEV-SNP reports and NVIDIA Hopper SPDM measurements against pinned vendor roots, returning
 * the claims a key-release policy decides on, and the attesters that produce evidence.
 */
package org.sentryml.confidential.tee;
