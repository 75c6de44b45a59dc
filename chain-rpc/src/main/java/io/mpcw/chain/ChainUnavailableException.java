package io.mpcw.chain;

/** The chain could not be reached or answered something unreadable: try again later. */
public class ChainUnavailableException extends RuntimeException {
  public ChainUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public ChainUnavailableException(String message) {
    super(message);
  }
}
