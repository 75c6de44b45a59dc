package io.mpcw.node.registry;

/** The registry could not be reached or failed on its side (5xx); worth retrying later. */
public class RegistryUnavailableException extends RuntimeException {
  RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
