package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.function.Supplier;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.testkit.TestVectors;

/** The OMS vectors' names and key, and ECDSA helpers; the vectors themselves are the testkit's. */
final class AttestationFixtures {
  /** The OMS v1.0 bundles among the testkit's vectors. */
  static final String OMS_VECTORS = "oms-spec/test-vectors/v1.0/";

  static final String KEY_VECTOR = OMS_VECTORS + "valid/key.bundle.json";
  static final String CERTIFICATE_VECTOR = OMS_VECTORS + "valid/certificate.bundle.json";
  static final String SIGSTORE_VECTOR = OMS_VECTORS + "valid/sigstore.bundle.json";
  static final String WRONG_PREDICATE = OMS_VECTORS + "invalid-payload/wrong-predicate.bundle.json";
  static final String KEY_VECTOR_HINT =
      "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";
  static final String OMS_PREDICATE_TYPE = "https://model_signing/signature/v1.0";

  private AttestationFixtures() {}

  static PublicKey omsPublicKey() {
    byte[] der =
        PemBlocks.decode(
            TestVectors.text("oms-spec/keys/signing-key-pub.pem"), "PUBLIC KEY", "test key");
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate certificate(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate pemCertificate(String name) {
    return certificate(PemBlocks.decode(TestVectors.text(name), "CERTIFICATE", name));
  }

  /** The JCA signature algorithm OMS pairs with an EC key: SHA-256/384/512 by curve size. */
  static String ecdsaAlgorithm(PublicKey key) {
    int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
    return switch (bits) {
      case 256 -> "SHA256withECDSA";
      case 384 -> "SHA384withECDSA";
      case 521 -> "SHA512withECDSA";
      default -> throw new IllegalArgumentException("unexpected curve size " + bits);
    };
  }

  /** Verifies a DSSE envelope's single signature over the byte-length PAE. */
  static boolean verifies(DsseEnvelope envelope, PublicKey key) {
    try {
      Signature verifier = Signature.getInstance(ecdsaAlgorithm(key));
      verifier.initVerify(key);
      verifier.update(Pae.encode(envelope.payloadType(), envelope.payload()));
      return verifier.verify(envelope.signatures().get(0).sig());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static byte[] sign(PrivateKey key, PublicKey publicKey, byte[] message) {
    try {
      Signature signer = Signature.getInstance(ecdsaAlgorithm(publicKey));
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts a BAD_INPUT failure whose message contains every one of {@code fragments}. */
  static SentryException assertBadInput(Supplier<?> action, String... fragments) {
    SentryException e = assertThrows(SentryException.class, action::get);
    assertInstanceOf(MalformedInputException.class, e, e.getMessage());
    for (String fragment : fragments) {
      if (!e.getMessage().contains(fragment)) {
        throw new AssertionError(
            "message should mention \"" + fragment + "\" but was: " + e.getMessage());
      }
    }
    return e;
  }
}
