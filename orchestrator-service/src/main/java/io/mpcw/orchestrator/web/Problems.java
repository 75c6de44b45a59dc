package io.mpcw.orchestrator.web;

import io.mpcw.types.problem.FieldError;
import io.mpcw.types.problem.ProblemType;
import java.util.List;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problems of the shared types, with {@code retryable} and {@code errors[]}. */
public final class Problems {
  private Problems() {}

  public static ProblemDetail of(ProblemType type, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(statusOf(type), detail);
    problem.setType(type.type());
    problem.setTitle(type.title());
    problem.setProperty("retryable", type.retryable());
    return problem;
  }

  public static ProblemDetail validation(List<FieldError> errors) {
    ProblemDetail problem =
        of(
            ProblemType.VALIDATION,
            errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are not valid");
    problem.setProperty("errors", errors);
    return problem;
  }

  private static org.springframework.http.HttpStatusCode statusOf(ProblemType type) {
    return org.springframework.http.HttpStatusCode.valueOf(type.status());
  }
}
