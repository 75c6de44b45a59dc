package io.mpcw.registry.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.mpcw.registry.node.NodeNotFoundException;
import io.mpcw.registry.node.NotThisNodeException;
import io.mpcw.registry.node.RequestValidationException;
import io.mpcw.types.problem.FieldError;
import io.mpcw.types.problem.ProblemType;
import io.mpcw.web.problem.SafeText;
import io.mpcw.web.problem.UnsafeTextException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into {@code application/problem+json}. Client mistakes name the field; server
 * failures say only what the client can act on (retry or not), never an exception text.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(RequestValidationException.class)
  ResponseEntity<ProblemDetail> invalid(RequestValidationException e) {
    return respond(validation("One or more fields are invalid", e.errors()), HttpHeaders.EMPTY);
  }

  @ExceptionHandler(NodeNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NodeNotFoundException e) {
    ProblemDetail problem =
        Problems.of(
            ProblemType.NOT_FOUND, "Node " + e.nodeId() + " is not registered; register again");
    problem.setProperty("node_id", e.nodeId());
    return respond(problem, HttpHeaders.EMPTY);
  }

  @ExceptionHandler(NotThisNodeException.class)
  ResponseEntity<ProblemDetail> notThisNode(NotThisNodeException e) {
    return respond(
        Problems.of(
            ProblemType.FORBIDDEN,
            "A node may register, heartbeat and deregister only as itself (its certificate's CN)"),
        HttpHeaders.EMPTY);
  }

  @ExceptionHandler({DataAccessException.class, TransactionException.class})
  ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException e) {
    log.warn("request failed on the database: {}", e.getClass().getSimpleName(), e);
    return respond(
        Problems.of(ProblemType.UNAVAILABLE, "The registry database is unavailable"),
        HttpHeaders.EMPTY);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected error", e);
    return respond(
        Problems.of(ProblemType.INTERNAL, "The registry failed to handle the request"),
        HttpHeaders.EMPTY);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Throwable cause = ex.getMostSpecificCause();
    ProblemDetail problem;
    if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      problem = validation("A field has the wrong form", List.of(fieldError(mapping)));
    } else if (cause instanceof JsonProcessingException) {
      problem = Problems.of(ProblemType.MALFORMED_REQUEST, "The body is not valid JSON");
    } else {
      problem = Problems.of(ProblemType.MALFORMED_REQUEST, "A JSON body is required");
    }
    return handleExceptionInternal(
        ex, problem, headers, HttpStatusCode.valueOf(problem.getStatus()), request);
  }

  // gives the problems Spring MVC builds itself (405, 415, no such path, ...) the shared types
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem
        && "about:blank".equals(problem.getType().toString())) {
      Problems.forStatus(statusCode.value()).ifPresent(type -> Problems.typed(problem, type));
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  private static ProblemDetail validation(String detail, List<FieldError> errors) {
    ProblemDetail problem = Problems.of(ProblemType.VALIDATION, detail);
    problem.setProperty("errors", errors);
    return problem;
  }

  private static FieldError fieldError(JsonMappingException e) {
    String field =
        e.getPath().stream()
            .map(ref -> Optional.ofNullable(ref.getFieldName()).orElse("[" + ref.getIndex() + "]"))
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    String message = "has the wrong form";
    if (e instanceof UnsafeTextException) {
      message = SafeText.PROBLEM;
    } else if (e instanceof UnrecognizedPropertyException) {
      message = "is not a known field";
    } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      message = "must be " + describe(mismatch.getTargetType());
    }
    return new FieldError(field, message);
  }

  private static String describe(Class<?> type) {
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return type == Integer.class || type == int.class || type == Long.class
          ? "an integer"
          : "a number";
    }
    return type == String.class ? "a string" : "of type " + type.getSimpleName();
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
    return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
  }
}
