package io.mpcw.registry.node;

import io.mpcw.types.problem.FieldError;
import java.util.List;

/** A request that parsed but breaks field rules; answered with 400 and {@code errors[]}. */
public class RequestValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public RequestValidationException(List<FieldError> errors) {
    super("invalid request: " + errors.size() + " field error(s)");
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** Throws when {@code errors} is not empty. */
  public static void throwIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new RequestValidationException(errors);
    }
  }
}
