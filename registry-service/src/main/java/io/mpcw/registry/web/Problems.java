package io.mpcw.registry.web;

import io.mpcw.types.problem.ProblemType;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 bodies with the project's shared problem types. */
public final class Problems {
  private Problems() {}

  public static ProblemDetail of(ProblemType type, String detail) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
    return typed(problem, type);
  }

  static ProblemDetail typed(ProblemDetail problem, ProblemType type) {
    problem.setType(type.type());
    problem.setTitle(type.title());
    problem.setProperty("retryable", type.retryable());
    return problem;
  }

  /** The shared type for a status Spring produced itself (405, 415, unknown path, ...). */
  static Optional<ProblemType> forStatus(int status) {
    return switch (status) {
      case 400 -> Optional.of(ProblemType.MALFORMED_REQUEST);
      case 409 -> Optional.of(ProblemType.CONFLICT);
      default -> Arrays.stream(ProblemType.values()).filter(t -> t.status() == status).findFirst();
    };
  }
}
