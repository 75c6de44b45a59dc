package io.mpcw.transport.pki;

/** The cluster PKI could not create, read or write a certificate or key. */
public class PkiException extends RuntimeException {

  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
