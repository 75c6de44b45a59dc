package io.mpcw.chain;

/**
 * An error object in a JSON-RPC answer: the node understood the request and refused it. Internal to
 * the client, which maps it to {@link ChainRejectedException} or to an empty answer.
 */
final class JsonRpcException extends RuntimeException {
  private final int code;
  private final String rpcMessage;

  JsonRpcException(int code, String rpcMessage) {
    super(rpcMessage + " (code " + code + ")");
    this.code = code;
    this.rpcMessage = rpcMessage;
  }

  int code() {
    return code;
  }

  String rpcMessage() {
    return rpcMessage;
  }
}
