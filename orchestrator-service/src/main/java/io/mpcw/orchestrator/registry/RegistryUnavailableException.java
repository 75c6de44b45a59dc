package io.mpcw.orchestrator.registry;

/** The registry could not be reached and no node list was ever received from it. */
public class RegistryUnavailableException extends RuntimeException {
  public RegistryUnavailableException(String message) {
    super(message);
  }
}
