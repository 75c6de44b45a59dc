package io.mpcw.protocol;

import java.util.Objects;

/** A participant refuses a request: {@code code} from {@link ProtocolErrors}, detail in words. */
public class ProtocolException extends RuntimeException {
  private final String code;

  public ProtocolException(String code, String detail) {
    super(detail);
    this.code = Objects.requireNonNull(code);
  }

  public ProtocolException(String code, String detail, Throwable cause) {
    super(detail, cause);
    this.code = Objects.requireNonNull(code);
  }

  public String code() {
    return code;
  }
}
