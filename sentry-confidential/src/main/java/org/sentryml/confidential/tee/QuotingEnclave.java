package org.sentryml.confidential.tee;

/**
 * Intel's quoting enclaves, by the identity Intel publishes for them in its QE identity collateral
 * (Intel PCS {@code /sgx/certification/v4/qe/identity} and {@code
 * /tdx/certification/v4/qe/identity}): the key that signs the enclave (MRSIGNER) and its product
 * id. A PCK key certifies any enclave with the provisioning attribute, so the identity is what
 * tells Intel's quoting enclave from another; the QE's SVN against the collateral's TCB levels is a
 * {@link TcbEvaluator}'s job.
 */
@SuppressWarnings("ImmutableEnumChecker") // Octets copies its bytes in and out and has no mutator
enum QuotingEnclave {
  /** The SGX ECDSA quoting enclave (QE3). */
  SGX_QE3(
      "SGX quoting enclave (QE3)",
      "8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff",
      1),
  /** The TD quoting enclave. */
  TD_QE(
      "TD quoting enclave", "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5", 2);

  private final String displayName;
  private final Octets mrSigner;
  private final int isvProdId;

  QuotingEnclave(String displayName, String mrSigner, int isvProdId) {
    this.displayName = displayName;
    this.mrSigner = Octets.fromHex(mrSigner, "MRSIGNER");
    this.isvProdId = isvProdId;
  }

  String displayName() {
    return displayName;
  }

  Octets mrSigner() {
    return mrSigner;
  }

  int isvProdId() {
    return isvProdId;
  }
}
