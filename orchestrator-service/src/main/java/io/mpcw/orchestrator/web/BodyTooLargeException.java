package io.mpcw.orchestrator.web;

import java.io.IOException;

/** Raised while reading a request body that grows past {@code mpcw.api.max-body-bytes}. */
public class BodyTooLargeException extends IOException {
  public BodyTooLargeException(int limit) {
    super("request body larger than " + limit + " bytes", null);
  }
}
