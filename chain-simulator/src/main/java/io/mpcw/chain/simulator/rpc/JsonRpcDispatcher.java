package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcw.chain.simulator.metrics.ChainMetrics;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request body into a response body and HTTP status, as bitcoind's HTTP server does: one
 * request object or a batch array, answers {@code {result, error, id}}, HTTP 200 on success, 500
 * for RPC errors, 404 for an unknown method, 400 for an invalid request. Nothing here throws: an
 * unexpected failure is logged and answered as an internal error without details.
 */
final class JsonRpcDispatcher {
  private static final Logger log = LoggerFactory.getLogger(JsonRpcDispatcher.class);

  private final Map<String, RpcMethod> methods;
  private final ChainMetrics metrics;

  JsonRpcDispatcher(Map<String, RpcMethod> methods, ChainMetrics metrics) {
    this.methods = Map.copyOf(methods);
    this.metrics = metrics;
    metrics.servedMethods(this.methods.keySet());
  }

  /** The response to {@code body}: its HTTP status and JSON. */
  Response dispatch(byte[] body) {
    JsonNode request;
    try {
      request = RpcJson.MAPPER.readTree(body);
    } catch (IOException e) {
      return errorResponse(NullNode.getInstance(), RpcException.PARSE_ERROR, "Parse error");
    }
    if (request != null && request.isArray()) {
      ArrayNode answers = RpcJson.MAPPER.createArrayNode();
      request.forEach(single -> answers.add(answer(single).json()));
      return new Response(200, answers);
    }
    if (request == null || !request.isObject()) {
      return errorResponse(
          NullNode.getInstance(), RpcException.PARSE_ERROR, "Top-level object parse error");
    }
    return answer(request);
  }

  private Response answer(JsonNode request) {
    JsonNode id = request.path("id").isMissingNode() ? NullNode.getInstance() : request.get("id");
    try {
      if (!request.isObject()) {
        throw new RpcException(RpcException.INVALID_REQUEST, "Invalid Request object");
      }
      JsonNode method = request.path("method");
      if (!method.isTextual()) {
        throw new RpcException(RpcException.INVALID_REQUEST, "Method must be a string");
      }
      metrics.request(method.asText());
      RpcMethod handler = methods.get(method.asText());
      if (handler == null) {
        throw new RpcException(RpcException.METHOD_NOT_FOUND, "Method not found");
      }
      JsonNode result = handler.call(new Params(method.asText(), params(request)));
      ObjectNode json = RpcJson.MAPPER.createObjectNode();
      json.set("result", result);
      json.putNull("error");
      json.set("id", id);
      return new Response(200, json);
    } catch (RpcException e) {
      return errorResponse(id, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("JSON-RPC {} failed unexpectedly", request.path("method").asText("?"), e);
      return errorResponse(id, RpcException.INTERNAL_ERROR, "Internal error");
    }
  }

  private static ArrayNode params(JsonNode request) {
    JsonNode params = request.path("params");
    if (params.isMissingNode() || params.isNull()) {
      return RpcJson.MAPPER.createArrayNode();
    }
    if (params.isArray()) {
      return (ArrayNode) params;
    }
    throw new RpcException(
        RpcException.INVALID_PARAMETER,
        "params must be an array: the simulator does not take named parameters");
  }

  private static Response errorResponse(JsonNode id, int code, String message) {
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    json.putNull("result");
    json.putObject("error").put("code", code).put("message", message);
    json.set("id", id);
    return new Response(new RpcException(code, message).httpStatus(), json);
  }

  /** An HTTP status and the JSON to send with it. */
  record Response(int status, JsonNode json) {}
}
