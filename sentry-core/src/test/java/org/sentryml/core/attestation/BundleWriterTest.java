package org.sentryml.core.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.json.ProtoJson;
import dev.sigstore.proto.bundle.v1.Bundle;
import dev.sigstore.proto.bundle.v1.VerificationMaterial;
import dev.sigstore.proto.common.v1.PublicKeyIdentifier;
import dev.sigstore.proto.common.v1.X509CertificateChain;
import io.intoto.EnvelopeOuterClass;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.sentryml.core.json.StrictJson;
import org.sentryml.testkit.TestPki;
import org.sentryml.testkit.TestVectors;

class BundleWriterTest {
  private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2034-01-01T00:00:00Z");
  private static final String STATEMENT =
      "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"mödel\",\"digest\":"
          + "{\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000001\"}}],"
          + "\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":"
          + "{\"resources\":[],\"serialization\":{\"method\":\"files\",\"hash_type\":\"sha256\","
          + "\"allow_symlinks\":false}}}";

  private static DsseEnvelope signedEnvelope(KeyPair keys) {
    byte[] payload = STATEMENT.getBytes(StandardCharsets.UTF_8);
    byte[] sig =
        AttestationFixtures.sign(
            keys.getPrivate(),
            keys.getPublic(),
            Pae.encode(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload));
    return DsseEnvelope.of(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, payload, sig);
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  @Test
  void publicKeyBundle_roundTrips() {
    KeyPair keys = TestPki.ecKeys("secp256r1");
    DsseEnvelope envelope = signedEnvelope(keys);
    String written = BundleWriter.writePublicKey(envelope, keys.getPublic());

    SigstoreBundle read = BundleReader.read(written);
    assertEquals(BundleMediaType.V0_3, read.mediaType());
    assertEquals(MaterialKind.PUBLIC_KEY, read.kind());
    assertEquals(KeyHint.of(keys.getPublic()), read.keyHint());
    assertEquals(envelope, read.envelope());
    assertTrue(AttestationFixtures.verifies(read.envelope(), keys.getPublic()));
    assertEquals("mödel", StatementParser.parse(read.envelope()).subject().name());
  }

  @Test
  void publicKeyBundle_hintFollowsOmsRule() {
    String written =
        BundleWriter.writePublicKey(
            signedEnvelope(TestPki.ecKeys("secp384r1")), AttestationFixtures.omsPublicKey());
    String hint =
        json(written)
            .getAsJsonObject("verificationMaterial")
            .getAsJsonObject("publicKey")
            .get("hint")
            .getAsString();
    assertEquals(AttestationFixtures.KEY_VECTOR_HINT, hint);
  }

  @Test
  void certificateBundle_roundTrips() {
    TestPki.Issued root = TestPki.root("root", FROM, TO);
    TestPki.Issued intermediate = TestPki.intermediate("intermediate", root, FROM, TO);
    TestPki.Issued leaf =
        TestPki.leaf("signer", intermediate, FROM, TO, KeyUsage.digitalSignature, null);
    X509Certificate intermediateCert = intermediate.certificate();
    X509Certificate leafCert = leaf.certificate();
    DsseEnvelope envelope = signedEnvelope(leaf.keys());

    String written =
        BundleWriter.writeCertificateChain(envelope, List.of(leafCert, intermediateCert));
    SigstoreBundle read = BundleReader.read(written);
    assertEquals(MaterialKind.CERTIFICATE_CHAIN, read.kind());
    assertEquals(List.of(leafCert, intermediateCert), read.certificates());
    assertEquals(envelope, read.envelope());
    assertTrue(
        AttestationFixtures.verifies(read.envelope(), read.leafCertificate().getPublicKey()));
  }

  @Test
  void publicKeyBundle_hasTheLayoutOfTheOmsBundleSchema() {
    KeyPair keys = TestPki.ecKeys("secp256r1");
    JsonObject bundle = json(BundleWriter.writePublicKey(signedEnvelope(keys), keys.getPublic()));
    JsonObject bundleSchema = json(TestVectors.text("oms-spec/schemas/v1.0/bundle.schema.json"));
    JsonObject envelopeSchema =
        json(TestVectors.text("oms-spec/schemas/v1.0/envelope.schema.json"));

    // Top level: required fields present, nothing else (additionalProperties: false).
    assertEquals(strings(bundleSchema.getAsJsonArray("required")), bundle.keySet());
    Pattern mediaType =
        Pattern.compile(
            bundleSchema
                .getAsJsonObject("properties")
                .getAsJsonObject("mediaType")
                .get("pattern")
                .getAsString());
    assertTrue(mediaType.matcher(bundle.get("mediaType").getAsString()).find());

    // verificationMaterial: the key-based branch, publicKey with a string hint.
    JsonObject material = bundle.getAsJsonObject("verificationMaterial");
    JsonObject keyBranch =
        bundleSchema
            .getAsJsonObject("$defs")
            .getAsJsonObject("verification_material")
            .getAsJsonArray("anyOf")
            .get(0)
            .getAsJsonObject();
    for (String required : strings(keyBranch.getAsJsonArray("required"))) {
      assertTrue(material.has(required), required);
    }
    assertTrue(keyBranch.getAsJsonObject("properties").keySet().containsAll(material.keySet()));
    JsonObject publicKey = material.getAsJsonObject("publicKey");
    assertTrue(publicKey.get("hint").getAsJsonPrimitive().isString());
    assertTrue(material.getAsJsonArray("tlogEntries").isEmpty());

    // dsseEnvelope: required fields, nothing else, in-toto payload type, non-empty base64 strings.
    JsonObject envelope = bundle.getAsJsonObject("dsseEnvelope");
    assertEquals(strings(envelopeSchema.getAsJsonArray("required")), envelope.keySet());
    assertEquals(
        envelopeSchema
            .getAsJsonObject("properties")
            .getAsJsonObject("payloadType")
            .get("const")
            .getAsString(),
        envelope.get("payloadType").getAsString());
    assertFalse(envelope.get("payload").getAsString().isEmpty());
    Base64.getDecoder().decode(envelope.get("payload").getAsString());
    JsonArray signatures = envelope.getAsJsonArray("signatures");
    assertEquals(1, signatures.size());
    JsonObject signature = signatures.get(0).getAsJsonObject();
    JsonObject signatureSchema =
        envelopeSchema.getAsJsonObject("$defs").getAsJsonObject("signature");
    assertTrue(signature.keySet().containsAll(strings(signatureSchema.getAsJsonArray("required"))));
    assertTrue(
        signatureSchema.getAsJsonObject("properties").keySet().containsAll(signature.keySet()));
    assertFalse(signature.get("sig").getAsString().isEmpty());
  }

  @Test
  void writtenBundles_haveTheShapeOfTheOmsVectors() {
    TestPki.Issued signer = TestPki.root("s", FROM, TO);
    KeyPair keys = signer.keys();
    DsseEnvelope envelope = signedEnvelope(keys);
    assertEquals(
        shape(json(TestVectors.text(AttestationFixtures.KEY_VECTOR))),
        shape(json(BundleWriter.writePublicKey(envelope, keys.getPublic()))));
    X509Certificate self = signer.certificate();
    X509Certificate other = TestPki.root("o", FROM, TO).certificate();
    assertEquals(
        shape(json(TestVectors.text(AttestationFixtures.CERTIFICATE_VECTOR))),
        shape(json(BundleWriter.writeCertificateChain(envelope, List.of(self, other)))));
  }

  /**
   * sigstore-java's protobuf JSON parser reads the written bundles, strictly (no unknown field) and
   * leniently (its own {@link ProtoJson#parser()}); its high-level {@code Bundle.from} rejects them
   * exactly as it rejects the OMS key and certificate vectors, for having no tlog entry.
   */
  @Test
  void writtenBundles_parseWithSigstoreJavaProtobufParser() throws Exception {
    TestPki.Issued signer = TestPki.root("s", FROM, TO);
    KeyPair keys = signer.keys();
    DsseEnvelope envelope = signedEnvelope(keys);
    X509Certificate cert = signer.certificate();
    List<String> written =
        List.of(
            BundleWriter.writePublicKey(envelope, keys.getPublic()),
            BundleWriter.writeCertificateChain(envelope, List.of(cert)));
    for (String text : written) {
      Bundle.Builder strict = Bundle.newBuilder();
      JsonFormat.parser().merge(text, strict);
      Bundle.Builder lenient = Bundle.newBuilder();
      ProtoJson.parser().merge(text, lenient);
      assertEquals(strict.build(), lenient.build());
      assertEquals(BundleMediaType.V0_3, strict.getMediaType());
      assertArrayEquals(envelope.payload(), strict.getDsseEnvelope().getPayload().toByteArray());
      assertArrayEquals(
          envelope.signatures().get(0).sig(),
          strict.getDsseEnvelope().getSignatures(0).getSig().toByteArray());
    }
    assertEquals(
        KeyHint.of(keys.getPublic()),
        parse(written.get(0)).getVerificationMaterial().getPublicKey().getHint());
    assertArrayEquals(
        cert.getEncoded(),
        parse(written.get(1))
            .getVerificationMaterial()
            .getX509CertificateChain()
            .getCertificates(0)
            .getRawBytes()
            .toByteArray());

    List<String> rejected = new ArrayList<>(written);
    rejected.add(TestVectors.text(AttestationFixtures.KEY_VECTOR));
    rejected.add(TestVectors.text(AttestationFixtures.CERTIFICATE_VECTOR));
    for (String text : rejected) {
      BundleParseException e =
          assertThrows(
              BundleParseException.class,
              () -> dev.sigstore.bundle.Bundle.from(new StringReader(text)));
      assertTrue(e.getMessage().contains("tlog entries"), e.getMessage());
    }
  }

  /**
   * The hand-built JSON is the protobuf JSON mapping: the same bundle built from sigstore's
   * protobuf classes and printed by protobuf's own {@link JsonFormat} printer (fields without
   * presence included) is the same JSON tree, for both material kinds.
   */
  @Test
  void writtenBundles_equalProtobufsOwnPrintingOfTheSameBundle() throws Exception {
    TestPki.Issued root = TestPki.root("root", FROM, TO);
    TestPki.Issued leaf = TestPki.leaf("signer", root, FROM, TO, KeyUsage.digitalSignature, null);
    DsseEnvelope envelope = signedEnvelope(leaf.keys());
    JsonFormat.Printer printer = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    VerificationMaterial.Builder key =
        VerificationMaterial.newBuilder()
            .setPublicKey(
                PublicKeyIdentifier.newBuilder().setHint(KeyHint.of(leaf.keys().getPublic())));
    assertEquals(
        json(printer.print(protobufBundle(envelope, key))),
        json(BundleWriter.writePublicKey(envelope, leaf.keys().getPublic())));

    X509CertificateChain.Builder chain = X509CertificateChain.newBuilder();
    for (X509Certificate certificate : List.of(leaf.certificate(), root.certificate())) {
      chain.addCertificates(
          dev.sigstore.proto.common.v1.X509Certificate.newBuilder()
              .setRawBytes(ByteString.copyFrom(certificate.getEncoded())));
    }
    VerificationMaterial.Builder certificates =
        VerificationMaterial.newBuilder().setX509CertificateChain(chain);
    assertEquals(
        json(printer.print(protobufBundle(envelope, certificates))),
        json(
            BundleWriter.writeCertificateChain(
                envelope, List.of(leaf.certificate(), root.certificate()))));
  }

  private static Bundle protobufBundle(
      DsseEnvelope envelope, VerificationMaterial.Builder material) {
    EnvelopeOuterClass.Envelope.Builder dsse =
        EnvelopeOuterClass.Envelope.newBuilder()
            .setPayloadType(envelope.payloadType())
            .setPayload(ByteString.copyFrom(envelope.payload()));
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      dsse.addSignatures(
          EnvelopeOuterClass.Signature.newBuilder()
              .setSig(ByteString.copyFrom(signature.sig()))
              .setKeyid(signature.keyid()));
    }
    return Bundle.newBuilder()
        .setMediaType(BundleMediaType.V0_3)
        .setVerificationMaterial(material)
        .setDsseEnvelope(dsse)
        .build();
  }

  @Test
  void write_rejectsEnvelopesOmsCannotCarry() {
    KeyPair keys = TestPki.ecKeys("secp256r1");
    DsseEnvelope other = DsseEnvelope.of("application/json", new byte[] {1}, new byte[] {2});
    assertThrows(
        IllegalArgumentException.class, () -> BundleWriter.writePublicKey(other, keys.getPublic()));
    DsseEnvelope two =
        new DsseEnvelope(
            DsseEnvelope.IN_TOTO_PAYLOAD_TYPE,
            new byte[] {1},
            List.of(
                new DsseEnvelope.Signature("", new byte[] {2}),
                new DsseEnvelope.Signature("k", new byte[] {3})));
    assertThrows(
        IllegalArgumentException.class, () -> BundleWriter.writePublicKey(two, keys.getPublic()));
    assertThrows(
        IllegalArgumentException.class,
        () -> BundleWriter.writeCertificateChain(signedEnvelope(keys), List.of()));
  }

  private static Bundle parse(String text) throws Exception {
    Bundle.Builder builder = Bundle.newBuilder();
    JsonFormat.parser().merge(text, builder);
    return builder.build();
  }

  private static Set<String> strings(JsonArray array) {
    Set<String> values = new HashSet<>();
    array.forEach(element -> values.add(element.getAsString()));
    return values;
  }

  /** The JSON structure without values: object keys, array element shapes, leaf kinds. */
  private static String shape(JsonElement element) {
    if (element.isJsonObject()) {
      StringBuilder out = new StringBuilder("{");
      element.getAsJsonObject().keySet().stream()
          .sorted()
          .forEach(
              key ->
                  out.append(key)
                      .append(':')
                      .append(shape(element.getAsJsonObject().get(key)))
                      .append(','));
      return out.append('}').toString();
    }
    if (element.isJsonArray()) {
      JsonArray array = element.getAsJsonArray();
      return array.isEmpty() ? "[]" : "[" + shape(array.get(0)) + "]";
    }
    return StrictJson.kind(element);
  }
}
