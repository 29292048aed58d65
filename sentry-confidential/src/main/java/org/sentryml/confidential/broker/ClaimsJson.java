package org.sentryml.confidential.broker;

import com.google.gson.JsonObject;
import java.util.Locale;
import java.util.Map;
import org.sentryml.confidential.tee.ClaimValue;
import org.sentryml.confidential.tee.Claims;

/** Verified claims as JSON, for audit lines and the token's {@code tcb-status}. */
final class ClaimsJson {
  private ClaimsJson() {}

  static JsonObject of(Claims claims) {
    JsonObject json = new JsonObject();
    json.addProperty("type", claims.type().id());
    json.addProperty("measurement", claims.measurement().hex());
    json.addProperty("debug", claims.debug().name().toLowerCase(Locale.ROOT));
    json.add("measurements", values(claims.measurements()));
    json.add("tcb", values(claims.tcb()));
    json.addProperty("report_data", claims.reportData().hex());
    return json;
  }

  private static JsonObject values(Map<String, ClaimValue> values) {
    JsonObject json = new JsonObject();
    for (Map.Entry<String, ClaimValue> value : values.entrySet()) {
      switch (value.getValue()) {
        case ClaimValue.Numeric number ->
            json.addProperty(value.getKey(), Long.toUnsignedString(number.value()));
        case ClaimValue.Bytes bytes -> json.addProperty(value.getKey(), bytes.value().hex());
        case ClaimValue.Text text -> json.addProperty(value.getKey(), text.value());
      }
    }
    return json;
  }
}
