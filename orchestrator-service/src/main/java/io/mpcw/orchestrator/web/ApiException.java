package io.mpcw.orchestrator.web;

import io.mpcw.types.problem.FieldError;
import io.mpcw.types.problem.ProblemType;
import java.util.List;
import org.springframework.http.ProblemDetail;

/** A refusal that the API turns into its problem response. */
public class ApiException extends RuntimeException {
  private final transient ProblemDetail problem;

  public ApiException(ProblemType type, String detail) {
    super(detail, null, false, false);
    this.problem = Problems.of(type, detail);
  }

  private ApiException(ProblemDetail problem) {
    super(problem.getDetail(), null, false, false);
    this.problem = problem;
  }

  public static ApiException invalid(List<FieldError> errors) {
    return new ApiException(Problems.validation(errors));
  }

  public static ApiException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public ProblemDetail problem() {
    return problem;
  }
}
