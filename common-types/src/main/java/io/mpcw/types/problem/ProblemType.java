package io.mpcw.types.problem;

import java.net.URI;

/** RFC 9457 problem types shared by every service's API. */
public enum ProblemType {
  VALIDATION("validation", "Request is not valid", 400, false),
  MALFORMED_REQUEST("malformed-request", "Request body cannot be read", 400, false),
  UNAUTHORIZED("unauthorized", "Authentication required", 401, false),
  FORBIDDEN("forbidden", "Not allowed for this API key", 403, false),
  NOT_FOUND("not-found", "Resource not found", 404, false),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405, false),
  PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413, false),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415, false),
  IDEMPOTENCY_CONFLICT(
      "idempotency-conflict", "Idempotency-Key reused with a different request", 409, false),
  INVALID_STATE("invalid-state", "Not possible in the current state", 409, false),
  CONFLICT("conflict", "Conflicting request", 409, false),
  BUSY("busy", "Too many payments in flight", 429, true),
  UNAVAILABLE("unavailable", "Dependency unavailable", 503, true),
  DKG_FAILED("dkg-failed", "Key generation failed", 502, false),
  INTERNAL("internal", "Internal error", 500, true);

  private static final String BASE = "urn:mpcw:problem:";
  private final URI type;
  private final String title;
  private final int status;
  private final boolean retryable;

  ProblemType(String slug, String title, int status, boolean retryable) {
    this.type = URI.create(BASE + slug);
    this.title = title;
    this.status = status;
    this.retryable = retryable;
  }

  public URI type() {
    return type;
  }

  public String title() {
    return title;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }
}
