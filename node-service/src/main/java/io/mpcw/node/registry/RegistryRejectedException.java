package io.mpcw.node.registry;

/**
 * The registry answered but refused the request (401, 400, ...): a configuration problem on this
 * node such as a wrong cluster token, which retrying alone will not fix.
 */
public class RegistryRejectedException extends RuntimeException {
  private final int status;

  RegistryRejectedException(int status, Throwable cause) {
    super("registry refused the request with HTTP " + status, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
