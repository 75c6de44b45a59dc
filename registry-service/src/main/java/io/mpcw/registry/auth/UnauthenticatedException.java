package io.mpcw.registry.auth;

/** The caller did not prove cluster membership; answered with 401. */
public class UnauthenticatedException extends RuntimeException {
  UnauthenticatedException() {
    super("missing or invalid cluster token");
  }
}
