package org.sentryml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentryml.testkit.ModelFixtures;

/**
 * Checks a bundle written by {@code sentry sign --method files} against the OMS v1.0 rules using
 * only the JDK and Gson — none of Sentry's signing, bundle or hashing code — as model_signing
 * would: media type, DSSE PAE counted in bytes, ECDSA over it, key hint, statement fields, every
 * file's SHA-256 and the subject digest over them.
 */
class IndependentOmsCheckTest {
  @TempDir Path dir;

  @Test
  void filesBundleSatisfiesTheOmsRulesIndependently() throws Exception {
    Path model = ModelFixtures.smallModel(dir);
    Path keys = dir.resolve("keys");
    assertEquals(0, CliRun.of("keygen", "--out", keys.toString()).exitCode());
    CliRun sign =
        CliRun.of(
            "sign",
            model.toString(),
            "--method",
            "files",
            "--device",
            "cpu",
            "private-key",
            "--private_key",
            keys.resolve("private.pem").toString());
    assertEquals(0, sign.exitCode(), sign.err());

    JsonObject bundle =
        JsonParser.parseString(Files.readString(model.resolve("model.sig"))).getAsJsonObject();
    assertEquals(
        "application/vnd.dev.sigstore.bundle.v0.3+json", bundle.get("mediaType").getAsString());
    JsonObject envelope = bundle.getAsJsonObject("dsseEnvelope");
    String payloadType = envelope.get("payloadType").getAsString();
    assertEquals("application/vnd.in-toto+json", payloadType);
    byte[] payload = Base64.getDecoder().decode(envelope.get("payload").getAsString());
    byte[] signature =
        Base64.getDecoder()
            .decode(
                envelope
                    .getAsJsonArray("signatures")
                    .get(0)
                    .getAsJsonObject()
                    .get("sig")
                    .getAsString());

    String pem = Files.readString(keys.resolve("public.pem"));
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PublicKey key =
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    ByteArrayOutputStream pae = new ByteArrayOutputStream();
    pae.writeBytes(
        ("DSSEv1 "
                + payloadType.getBytes(StandardCharsets.UTF_8).length
                + " "
                + payloadType
                + " "
                + payload.length
                + " ")
            .getBytes(StandardCharsets.UTF_8));
    pae.writeBytes(payload);
    Signature ecdsa = Signature.getInstance("SHA256withECDSA");
    ecdsa.initVerify(key);
    ecdsa.update(pae.toByteArray());
    assertTrue(ecdsa.verify(signature), "ECDSA P-256/SHA-256 over the DSSE PAE");

    String expectedHint =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(pem.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        expectedHint,
        bundle
            .getAsJsonObject("verificationMaterial")
            .getAsJsonObject("publicKey")
            .get("hint")
            .getAsString());

    JsonObject statement =
        JsonParser.parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("https://in-toto.io/Statement/v1", statement.get("_type").getAsString());
    assertEquals(
        "https://model_signing/signature/v1.0", statement.get("predicateType").getAsString());
    JsonObject serialization =
        statement.getAsJsonObject("predicate").getAsJsonObject("serialization");
    assertEquals("files", serialization.get("method").getAsString());
    assertEquals("sha256", serialization.get("hash_type").getAsString());
    assertTrue(serialization.getAsJsonArray("ignore_paths").toString().contains("model.sig"));

    JsonArray resources = statement.getAsJsonObject("predicate").getAsJsonArray("resources");
    MessageDigest root = MessageDigest.getInstance("SHA-256");
    String previous = "";
    for (var element : resources) {
      JsonObject resource = element.getAsJsonObject();
      String name = resource.get("name").getAsString();
      assertTrue(name.compareTo(previous) > 0, "resources sorted by name");
      previous = name;
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model.resolve(name)));
      assertEquals("sha256", resource.get("algorithm").getAsString());
      assertEquals(HexFormat.of().formatHex(digest), resource.get("digest").getAsString(), name);
      root.update(digest);
    }
    assertEquals(3, resources.size());
    JsonObject subject = statement.getAsJsonArray("subject").get(0).getAsJsonObject();
    assertEquals("model", subject.get("name").getAsString());
    assertEquals(
        HexFormat.of().formatHex(root.digest()),
        subject.getAsJsonObject("digest").get("sha256").getAsString());
  }
}
