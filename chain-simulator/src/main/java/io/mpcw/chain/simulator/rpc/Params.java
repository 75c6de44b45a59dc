package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mpcw.chain.BtcAmount;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/** The positional parameters of one call, with bitcoind's errors for missing or mistyped ones. */
final class Params {
  private final String method;
  private final ArrayNode values;

  Params(String method, ArrayNode values) {
    this.method = method;
    this.values = values;
  }

  /**
   * @throws RpcException -1 (bitcoind's answer with the method's help) for a wrong count
   */
  Params requireCount(int min, int max) {
    if (values.size() < min || values.size() > max) {
      String expected = min == max ? Integer.toString(min) : min + " to " + max;
      throw new RpcException(
          RpcException.MISC_ERROR,
          method + " takes " + expected + " parameters, got " + values.size());
    }
    return this;
  }

  /** Parameter {@code index} unless absent or JSON null (bitcoind's "use the default"). */
  Optional<JsonNode> optional(int index) {
    JsonNode value = values.get(index);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  String string(int index) {
    JsonNode value = required(index);
    if (!value.isTextual()) {
      throw typeError(value, "string");
    }
    return value.asText();
  }

  long integer(int index) {
    JsonNode value = required(index);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw typeError(value, "integer");
    }
    return value.asLong();
  }

  JsonNode array(int index) {
    JsonNode value = required(index);
    if (!value.isArray()) {
      throw typeError(value, "array");
    }
    return value;
  }

  /** A BTC amount (a JSON number or a numeric string, as bitcoind accepts) in sats, exactly. */
  long amountSats(int index) {
    JsonNode value = required(index);
    if (!value.isNumber() && !value.isTextual()) {
      throw new RpcException(RpcException.TYPE_ERROR, "Amount is not a number or string");
    }
    BigDecimal btc;
    try {
      btc = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText());
    } catch (NumberFormatException e) {
      throw new RpcException(RpcException.TYPE_ERROR, "Invalid amount");
    }
    try {
      return BtcAmount.toSats(btc);
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcException.TYPE_ERROR, "Invalid amount");
    }
  }

  private JsonNode required(int index) {
    return optional(index)
        .orElseThrow(
            () ->
                new RpcException(
                    RpcException.MISC_ERROR,
                    method + ": parameter " + (index + 1) + " is required"));
  }

  private static RpcException typeError(JsonNode value, String expected) {
    return new RpcException(
        RpcException.TYPE_ERROR,
        "JSON value of type "
            + value.getNodeType().name().toLowerCase(Locale.ROOT)
            + " is not of expected type "
            + expected);
  }
}
