package io.mpcw.chain.simulator.rpc;

/** A JSON-RPC error answer, with bitcoind's code. */
final class RpcException extends RuntimeException {
  static final int MISC_ERROR = -1;
  static final int TYPE_ERROR = -3;
  static final int WALLET_ERROR = -4;
  static final int INVALID_ADDRESS_OR_KEY = -5;
  static final int INVALID_PARAMETER = -8;
  static final int DESERIALIZATION_ERROR = -22;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INTERNAL_ERROR = -32603;
  static final int PARSE_ERROR = -32700;

  private final int code;

  RpcException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  int code() {
    return code;
  }

  /** bitcoind's HTTP status for an error: 400 invalid request, 404 unknown method, else 500. */
  int httpStatus() {
    return switch (code) {
      case INVALID_REQUEST -> 400;
      case METHOD_NOT_FOUND -> 404;
      default -> 500;
    };
  }
}
