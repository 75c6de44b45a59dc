package io.mpcw.node.share;

/**
 * The share store cannot be opened or written safely: missing or wrong key, or a damaged file. At
 * startup it stops the node with its message, which never carries key material.
 */
public class ShareStoreException extends IllegalStateException {

  public ShareStoreException(String message) {
    super(message);
  }

  public ShareStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
