package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcw.crypto.hash.Sha256;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of a request in canonical form (keys sorted, numbers normalised), so the same payment
 * sent twice under one Idempotency-Key is recognised however its JSON was laid out.
 */
final class RequestFingerprint {
  private RequestFingerprint() {}

  static byte[] of(CreateTransactionRequest request, ObjectMapper json) {
    ObjectNode canonical = json.createObjectNode();
    canonical.put("amount_sats", request.amountSats());
    canonical.put("fee_rate_sat_vb", plain(request.feeRateSatVb()));
    canonical.set("metadata", request.hasMetadata() ? sorted(request.metadata(), json) : null);
    if (request.psbt() != null) {
      // only when given, so that the fingerprints of requests stored before PSBTs stay the same
      canonical.put("psbt", request.psbt());
    }
    canonical.put("recipient", request.recipient());
    canonical.put("wallet_id", request.walletId() == null ? null : request.walletId().toString());
    try {
      return Sha256.of(json.writeValueAsBytes(canonical));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot fingerprint a request", e);
    }
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.stripTrailingZeros().toPlainString();
  }

  private static JsonNode sorted(JsonNode node, ObjectMapper json) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        fields.put(field.getKey(), sorted(field.getValue(), json));
      }
      ObjectNode out = json.createObjectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = json.createArrayNode();
      node.forEach(element -> out.add(sorted(element, json)));
      return out;
    }
    if (node.isNumber()) {
      return json.getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
    }
    return node;
  }
}
