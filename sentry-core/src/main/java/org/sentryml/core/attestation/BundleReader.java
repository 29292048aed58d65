package org.sentryml.core.attestation;

import com.google.gson.JsonArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.SentryException;
import org.sentryml.core.io.BoundedFiles;
import org.sentryml.core.json.JsonFields;
import org.sentryml.core.json.StrictJson;

/**
 * Reads Sigstore bundle JSON (media types v0.1, v0.2, v0.3) that carries a DSSE envelope, in any of
 * the verification-material forms OMS signers have written: public-key hint, older public key with
 * {@code rawBytes}/{@code keyDetails}, X.509 certificate chain, and keyless (Fulcio certificate
 * plus transparency-log entries).
 *
 * <p>It checks structure only; no signature is verified. Every malformed input is reported as a
 * {@link MalformedInputException} whose message names the JSON field. The reader is stateless and
 * thread-safe.
 */
public final class BundleReader {
  private static final String WHAT = "bundle";

  private BundleReader() {}

  /**
   * Reads the bundle in {@code file}.
   *
   * @throws SentryException {@link MalformedInputException} for a malformed bundle (the message
   *     starts with the file name), or an I/O exit code if the file cannot be read
   */
  public static SigstoreBundle read(Path file) {
    byte[] bytes = BoundedFiles.read(file, BoundedFiles.MAX_BUNDLE_BYTES, "signature file");
    try {
      return read(StrictJson.decodeUtf8(bytes, WHAT));
    } catch (SentryException e) {
      throw e.withContext(file.toString());
    }
  }

  /**
   * Reads a bundle from its JSON text.
   *
   * @throws SentryException {@link MalformedInputException} naming the field at fault
   */
  public static SigstoreBundle read(String json) {
    Objects.requireNonNull(json, "json");
    JsonFields bundle = new JsonFields(StrictJson.parseObject(json, WHAT), "", WHAT);

    String mediaType = bundle.string("mediaType");
    if (!BundleMediaType.READABLE.contains(mediaType)) {
      throw bundle.error(
          "mediaType",
          String.format(
              Locale.ROOT, "must be one of %s, got \"%s\"", BundleMediaType.READABLE, mediaType));
    }
    if (bundle.has("messageSignature")) {
      throw bundle.error(
          "messageSignature", "is not accepted: OMS bundles must carry a dsseEnvelope");
    }
    DsseEnvelope envelope = envelope(bundle.object("dsseEnvelope"));
    return material(bundle.object("verificationMaterial"), mediaType, envelope, json);
  }

  private static DsseEnvelope envelope(JsonFields dsse) {
    String payloadType = dsse.string("payloadType");
    if (!DsseEnvelope.IN_TOTO_PAYLOAD_TYPE.equals(payloadType)) {
      throw dsse.error(
          "payloadType",
          String.format(
              Locale.ROOT,
              "must be \"%s\", got \"%s\"",
              DsseEnvelope.IN_TOTO_PAYLOAD_TYPE,
              payloadType));
    }
    byte[] payload = dsse.base64("payload");
    if (payload.length == 0) {
      throw dsse.error("payload", "is empty");
    }
    JsonArray signatures = dsse.array("signatures");
    if (signatures.size() != 1) {
      throw dsse.error(
          "signatures",
          String.format(Locale.ROOT, "must hold exactly 1 signature, got %d", signatures.size()));
    }
    JsonFields signature = dsse.element("signatures", signatures, 0);
    byte[] sig = signature.base64("sig");
    if (sig.length == 0) {
      throw signature.error("sig", "is empty");
    }
    String keyid = signature.optionalString("keyid");
    return new DsseEnvelope(payloadType, payload, List.of(new DsseEnvelope.Signature(keyid, sig)));
  }

  private static SigstoreBundle material(
      JsonFields material, String mediaType, DsseEnvelope envelope, String json) {
    List<TlogEntry> tlog = tlogEntries(material);
    List<String> forms = new ArrayList<>();
    for (String form : List.of("publicKey", "x509CertificateChain", "certificate")) {
      if (material.has(form)) {
        forms.add(form);
      }
    }
    if (forms.size() != 1) {
      throw StrictJson.bad(
          String.format(
              Locale.ROOT,
              "%s: field %s must hold exactly one of publicKey, x509CertificateChain, certificate;"
                  + " got %s",
              WHAT,
              material.path(),
              forms.isEmpty() ? "none" : String.join(", ", forms)));
    }
    switch (forms.get(0)) {
      case "publicKey" -> {
        JsonFields key = material.object("publicKey");
        String hint = key.optionalString("hint");
        byte[] raw = key.has("rawBytes") ? subjectPublicKeyInfo(key) : new byte[0];
        if (hint.isEmpty() && raw.length == 0) {
          throw key.error("hint", "is missing (and there is no rawBytes either)");
        }
        return new SigstoreBundle(
            mediaType, envelope, MaterialKind.PUBLIC_KEY, hint, raw, List.of(), tlog, json);
      }
      case "x509CertificateChain" -> {
        JsonFields chain = material.object("x509CertificateChain");
        JsonArray items = chain.array("certificates");
        if (items.isEmpty()) {
          throw chain.error("certificates", "is empty, expected the leaf certificate first");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          certificates.add(certificate(chain.element("certificates", items, i)));
        }
        MaterialKind kind = tlog.isEmpty() ? MaterialKind.CERTIFICATE_CHAIN : MaterialKind.KEYLESS;
        return new SigstoreBundle(
            mediaType, envelope, kind, "", new byte[0], certificates, tlog, json);
      }
      default -> {
        X509Certificate leaf = certificate(material.object("certificate"));
        if (tlog.isEmpty()) {
          throw material.error(
              "tlogEntries",
              "must hold at least one entry: a keyless bundle (verificationMaterial.certificate)"
                  + " is only verifiable against the transparency log");
        }
        return new SigstoreBundle(
            mediaType, envelope, MaterialKind.KEYLESS, "", new byte[0], List.of(leaf), tlog, json);
      }
    }
  }

  private static List<TlogEntry> tlogEntries(JsonFields material) {
    JsonArray items = material.optionalArray("tlogEntries");
    List<TlogEntry> entries = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonFields entry = material.element("tlogEntries", items, i);
      if (!entry.has("canonicalizedBody")) {
        throw entry.error("canonicalizedBody", "is missing");
      }
      entry.base64("canonicalizedBody");
      String kind = "";
      String version = "";
      if (entry.has("kindVersion")) {
        JsonFields kindVersion = entry.object("kindVersion");
        kind = kindVersion.optionalString("kind");
        version = kindVersion.optionalString("version");
      }
      long logIndex = entry.has("logIndex") ? nonNegative(entry, "logIndex") : -1;
      long integrated = entry.has("integratedTime") ? nonNegative(entry, "integratedTime") : -1;
      entries.add(new TlogEntry(logIndex, kind, version, integrated));
    }
    return entries;
  }

  private static long nonNegative(JsonFields fields, String name) {
    long value = fields.int64(name);
    if (value < 0) {
      throw fields.error(name, "must not be negative, got " + value);
    }
    return value;
  }

  private static X509Certificate certificate(JsonFields holder) {
    byte[] der = holder.base64("rawBytes");
    if (der.length == 0) {
      throw holder.error("rawBytes", "is empty, expected a DER X.509 certificate");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw holder.error("rawBytes", "is not a DER X.509 certificate: " + e.getMessage());
    }
  }

  /** Older bundles hold the key itself in rawBytes: PEM text (model_signing) or DER. */
  private static byte[] subjectPublicKeyInfo(JsonFields key) {
    byte[] raw = key.base64("rawBytes");
    byte[] der = raw;
    String text = new String(raw, StandardCharsets.US_ASCII);
    if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
      der = PemBlocks.decode(text, "PUBLIC KEY", key.pathOf("rawBytes"));
    }
    try {
      return SubjectPublicKeyInfo.getInstance(der).getEncoded();
    } catch (IOException | RuntimeException e) {
      throw key.error("rawBytes", "is not a SubjectPublicKeyInfo (PEM or DER): " + e.getMessage());
    }
  }
}
