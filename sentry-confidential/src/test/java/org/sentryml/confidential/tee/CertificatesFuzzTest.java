package org.sentryml.confidential.tee;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.sentryml.core.errors.SentryException;

/**
 * Any bytes as a certificate file beside evidence (DER or PEM): the reader either returns between
 * one and {@link Certificates#MAX_CERTIFICATES} certificates that re-encode, or refuses with a
 * {@link SentryException}; nothing else may escape.
 */
class CertificatesFuzzTest {
  @FuzzTest
  void certificatesAreAcceptedOnlyWhole(byte[] input) throws CertificateEncodingException {
    List<X509Certificate> certificates;
    try {
      certificates = Certificates.fromPemOrDer(input, "fuzzed certificates");
    } catch (SentryException expected) {
      return;
    }
    if (certificates.isEmpty() || certificates.size() > Certificates.MAX_CERTIFICATES) {
      throw new AssertionError("accepted " + certificates.size() + " certificates");
    }
    for (X509Certificate certificate : certificates) {
      certificate.getEncoded();
    }
  }
}
