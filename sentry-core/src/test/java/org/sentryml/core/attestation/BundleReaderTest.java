package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentryml.core.attestation.AttestationFixtures.assertBadInput;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.core.errors.PathException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.testkit.TestVectors;

class BundleReaderTest {
  private static JsonObject vector(String name) {
    return JsonParser.parseString(TestVectors.text(name)).getAsJsonObject();
  }

  /** The key vector with {@code edit} applied, as JSON text. */
  private static String keyVectorWith(Consumer<JsonObject> edit) {
    JsonObject bundle = vector(AttestationFixtures.KEY_VECTOR);
    edit.accept(bundle);
    return bundle.toString();
  }

  private static JsonObject dsse(JsonObject bundle) {
    return bundle.getAsJsonObject("dsseEnvelope");
  }

  private static JsonObject material(JsonObject bundle) {
    return bundle.getAsJsonObject("verificationMaterial");
  }

  @Test
  void read_keyVector() {
    SigstoreBundle bundle = BundleReader.read(TestVectors.path(AttestationFixtures.KEY_VECTOR));
    assertEquals(BundleMediaType.V0_3, bundle.mediaType());
    assertEquals(MaterialKind.PUBLIC_KEY, bundle.kind());
    assertEquals(AttestationFixtures.KEY_VECTOR_HINT, bundle.keyHint());
    assertEquals(0, bundle.rawPublicKey().length);
    assertTrue(bundle.certificates().isEmpty());
    assertTrue(bundle.tlogEntries().isEmpty());
    assertEquals(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, bundle.envelope().payloadType());
    assertEquals("", bundle.envelope().signatures().get(0).keyid());
    assertEquals(TestVectors.text(AttestationFixtures.KEY_VECTOR), bundle.json());
  }

  @Test
  void read_certificateVector() {
    SigstoreBundle bundle =
        BundleReader.read(TestVectors.path(AttestationFixtures.CERTIFICATE_VECTOR));
    assertEquals(MaterialKind.CERTIFICATE_CHAIN, bundle.kind());
    assertEquals(2, bundle.certificates().size());
    assertEquals("", bundle.keyHint());
    assertEquals(
        AttestationFixtures.pemCertificate("oms-spec/keys/signing-key-cert.pem"),
        bundle.leafCertificate());
    assertEquals(
        AttestationFixtures.pemCertificate("oms-spec/keys/int-ca-cert.pem"),
        bundle.certificates().get(1));
  }

  @Test
  void read_sigstoreVector() {
    SigstoreBundle bundle =
        BundleReader.read(TestVectors.path(AttestationFixtures.SIGSTORE_VECTOR));
    assertEquals(MaterialKind.KEYLESS, bundle.kind());
    assertEquals(1, bundle.certificates().size());
    assertEquals(1, bundle.tlogEntries().size());
    assertEquals(
        new TlogEntry(598151086L, "dsse", "0.0.1", 1760062340L), bundle.tlogEntries().get(0));
  }

  @Test
  void read_wrongPredicateVectorIsStructurallyValid() {
    SigstoreBundle bundle =
        BundleReader.read(TestVectors.path(AttestationFixtures.WRONG_PREDICATE));
    assertEquals(MaterialKind.PUBLIC_KEY, bundle.kind());
  }

  @Test
  void read_invalidVectorEmpty() {
    assertBadInput(
        () ->
            BundleReader.read(
                TestVectors.path(AttestationFixtures.OMS_VECTORS + "invalid/empty.bundle.json")),
        "empty.bundle.json",
        "empty document");
  }

  @Test
  void read_invalidVectorMissingEnvelope() {
    assertBadInput(
        () ->
            BundleReader.read(
                TestVectors.path(
                    AttestationFixtures.OMS_VECTORS + "invalid/missing-envelope.bundle.json")),
        "field dsseEnvelope is missing");
  }

  @Test
  void read_invalidVectorMissingVerificationMaterial() {
    assertBadInput(
        () ->
            BundleReader.read(
                TestVectors.path(
                    AttestationFixtures.OMS_VECTORS
                        + "invalid/missing-verification-material.bundle.json")),
        "field verificationMaterial is missing");
  }

  @Test
  void read_invalidVectorMissingTlogEntries() {
    assertBadInput(
        () ->
            BundleReader.read(
                TestVectors.path(
                    AttestationFixtures.OMS_VECTORS + "invalid/missing-tlog-entries.bundle.json")),
        "field verificationMaterial.tlogEntries",
        "at least one entry");
  }

  @Test
  void read_notJson() {
    assertBadInput(() -> BundleReader.read("{\"mediaType\": "), "bundle: not valid JSON");
    assertBadInput(() -> BundleReader.read("[1, 2]"), "expected a JSON object", "an array");
    assertBadInput(() -> BundleReader.read("{} {}"), "unexpected data after");
    assertBadInput(() -> BundleReader.read("{mediaType: 1}"), "not valid JSON");
  }

  @Test
  void read_rejectsDuplicateKeys() {
    String json = TestVectors.text(AttestationFixtures.KEY_VECTOR);
    String duplicated =
        json.replaceFirst(
            "\"payloadType\"", "\"payloadType\": \"text/plain\",\n        \"payloadType\"");
    assertBadInput(() -> BundleReader.read(duplicated), "duplicate key dsseEnvelope.payloadType");
  }

  @Test
  void read_rejectsUnknownMediaType() {
    String json = keyVectorWith(b -> b.addProperty("mediaType", "application/json"));
    assertBadInput(() -> BundleReader.read(json), "field mediaType", "\"application/json\"");
  }

  @Test
  void read_rejectsMissingMediaType() {
    String json = keyVectorWith(b -> b.remove("mediaType"));
    assertBadInput(() -> BundleReader.read(json), "field mediaType is missing");
  }

  @Test
  void read_acceptsOlderMediaTypes() {
    for (String mediaType : BundleMediaType.READABLE) {
      String json = keyVectorWith(b -> b.addProperty("mediaType", mediaType));
      assertEquals(mediaType, BundleReader.read(json).mediaType());
    }
  }

  @Test
  void read_rejectsMessageSignature() {
    String json =
        keyVectorWith(
            b -> {
              b.remove("dsseEnvelope");
              JsonObject signature = new JsonObject();
              signature.addProperty("signature", "AAAA");
              b.add("messageSignature", signature);
            });
    assertBadInput(() -> BundleReader.read(json), "field messageSignature", "dsseEnvelope");
  }

  @Test
  void read_rejectsBadBase64() {
    String payload = keyVectorWith(b -> dsse(b).addProperty("payload", "not base64!"));
    assertBadInput(
        () -> BundleReader.read(payload), "field dsseEnvelope.payload is not valid base64");
    String sig =
        keyVectorWith(
            b ->
                dsse(b)
                    .getAsJsonArray("signatures")
                    .get(0)
                    .getAsJsonObject()
                    .addProperty("sig", "%%"));
    assertBadInput(
        () -> BundleReader.read(sig), "field dsseEnvelope.signatures[0].sig is not valid base64");
  }

  @Test
  void read_acceptsUrlSafeUnpaddedBase64() {
    SigstoreBundle reference = BundleReader.read(TestVectors.text(AttestationFixtures.KEY_VECTOR));
    String json =
        keyVectorWith(
            b ->
                dsse(b)
                    .addProperty(
                        "payload",
                        Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(reference.envelope().payload())));
    assertArrayEquals(reference.envelope().payload(), BundleReader.read(json).envelope().payload());
  }

  @Test
  void read_rejectsOtherPayloadType() {
    String json = keyVectorWith(b -> dsse(b).addProperty("payloadType", "application/json"));
    assertBadInput(
        () -> BundleReader.read(json),
        "field dsseEnvelope.payloadType",
        "application/vnd.in-toto+json",
        "\"application/json\"");
  }

  @Test
  void read_rejectsZeroOrSeveralSignatures() {
    String none = keyVectorWith(b -> dsse(b).add("signatures", new JsonArray()));
    assertBadInput(() -> BundleReader.read(none), "field dsseEnvelope.signatures", "got 0");
    String two =
        keyVectorWith(
            b -> {
              JsonArray signatures = dsse(b).getAsJsonArray("signatures");
              signatures.add(signatures.get(0).deepCopy());
            });
    assertBadInput(() -> BundleReader.read(two), "field dsseEnvelope.signatures", "got 2");
  }

  @Test
  void read_rejectsWrongFieldTypes() {
    String json = keyVectorWith(b -> dsse(b).addProperty("payload", 42));
    assertBadInput(
        () -> BundleReader.read(json), "field dsseEnvelope.payload must be a string", "a number");
    String material = keyVectorWith(b -> b.addProperty("verificationMaterial", "x"));
    assertBadInput(
        () -> BundleReader.read(material), "field verificationMaterial must be an object");
  }

  @Test
  void read_rejectsSeveralOrNoVerificationForms() {
    String none = keyVectorWith(b -> material(b).remove("publicKey"));
    assertBadInput(
        () -> BundleReader.read(none), "verificationMaterial must hold exactly one", "got none");
    String both =
        keyVectorWith(
            b -> {
              JsonObject certificate = new JsonObject();
              certificate.addProperty("rawBytes", "AAAA");
              material(b).add("certificate", certificate);
            });
    assertBadInput(() -> BundleReader.read(both), "got publicKey, certificate");
  }

  @Test
  void read_rejectsPublicKeyWithoutHintOrRawBytes() {
    String json = keyVectorWith(b -> material(b).add("publicKey", new JsonObject()));
    assertBadInput(
        () -> BundleReader.read(json), "field verificationMaterial.publicKey.hint is missing");
  }

  @Test
  void read_rejectsBadCertificate() {
    JsonObject bundle = vector(AttestationFixtures.CERTIFICATE_VECTOR);
    material(bundle)
        .getAsJsonObject("x509CertificateChain")
        .getAsJsonArray("certificates")
        .get(1)
        .getAsJsonObject()
        .addProperty("rawBytes", "AAAA");
    assertBadInput(
        () -> BundleReader.read(bundle.toString()),
        "field verificationMaterial.x509CertificateChain.certificates[1].rawBytes is not a DER"
            + " X.509");
  }

  @Test
  void read_olderPublicKeyFormWithPemRawBytes() {
    byte[] der = AttestationFixtures.omsPublicKey().getEncoded();
    String pem = KeyHint.pem(der);
    String json =
        keyVectorWith(
            b -> {
              JsonObject key = new JsonObject();
              key.addProperty(
                  "rawBytes",
                  Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
              key.addProperty("keyDetails", "PKIX_ECDSA_P384_SHA_384");
              material(b).add("publicKey", key);
            });
    SigstoreBundle bundle = BundleReader.read(json);
    assertEquals(MaterialKind.PUBLIC_KEY, bundle.kind());
    assertEquals("", bundle.keyHint());
    assertArrayEquals(der, bundle.rawPublicKey());
  }

  @Test
  void read_olderPublicKeyFormWithDerRawBytes() {
    byte[] der = AttestationFixtures.omsPublicKey().getEncoded();
    String json =
        keyVectorWith(
            b -> {
              JsonObject key = new JsonObject();
              key.addProperty("rawBytes", Base64.getEncoder().encodeToString(der));
              key.addProperty("keyDetails", "PKIX_ECDSA_P384_SHA_384");
              material(b).add("publicKey", key);
            });
    assertArrayEquals(der, BundleReader.read(json).rawPublicKey());
    String garbage =
        keyVectorWith(
            b -> {
              JsonObject key = new JsonObject();
              key.addProperty("rawBytes", "AAAA");
              material(b).add("publicKey", key);
            });
    assertBadInput(
        () -> BundleReader.read(garbage),
        "field verificationMaterial.publicKey.rawBytes is not a SubjectPublicKeyInfo");
  }

  @Test
  void read_chainWithTlogEntriesIsKeyless() {
    JsonObject sigstore = vector(AttestationFixtures.SIGSTORE_VECTOR);
    JsonObject material = material(sigstore);
    JsonObject chain = new JsonObject();
    JsonArray certificates = new JsonArray();
    certificates.add(material.remove("certificate"));
    chain.add("certificates", certificates);
    material.add("x509CertificateChain", chain);
    sigstore.addProperty("mediaType", "application/vnd.dev.sigstore.bundle+json;version=0.2");
    SigstoreBundle bundle = BundleReader.read(sigstore.toString());
    assertEquals(MaterialKind.KEYLESS, bundle.kind());
    assertEquals(1, bundle.certificates().size());
  }

  @Test
  void read_rejectsMalformedTlogEntry() {
    JsonObject sigstore = vector(AttestationFixtures.SIGSTORE_VECTOR);
    JsonObject entry = material(sigstore).getAsJsonArray("tlogEntries").get(0).getAsJsonObject();
    entry.addProperty("logIndex", "twelve");
    assertBadInput(
        () -> BundleReader.read(sigstore.toString()),
        "field verificationMaterial.tlogEntries[0].logIndex must be an integer");
  }

  @Test
  void read_pathPrefixesFileNameAndMapsMissingFile(@TempDir Path dir) {
    SentryException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SentryException.class, () -> BundleReader.read(dir.resolve("absent.json")));
    assertEquals(PathException.Kind.NOT_FOUND, assertInstanceOf(PathException.class, e).kind());
  }
}
