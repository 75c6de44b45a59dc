package io.mpcw.node.identity;

/** This node cannot prove who it is, so it must not start. */
public class NodeIdentityException extends IllegalStateException {

  public NodeIdentityException(String message) {
    super(message);
  }

  public NodeIdentityException(String message, Throwable cause) {
    super(message, cause);
  }
}
