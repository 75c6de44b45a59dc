package io.mpcw.chain;

/** The chain refused the request, with bitcoind's JSON-RPC error code and message. */
public class ChainRejectedException extends RuntimeException {
  private final int code;

  public ChainRejectedException(int code, String message) {
    super(message + " (code " + code + ")");
    this.code = code;
  }

  public int code() {
    return code;
  }
}
