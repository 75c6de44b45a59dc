package io.mpcw.orchestrator.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.mpcw.orchestrator.config.ApiProperties;
import io.mpcw.types.problem.FieldError;
import io.mpcw.types.problem.ProblemType;
import io.mpcw.web.problem.ProblemJson;
import io.mpcw.web.problem.SafeText;
import io.mpcw.web.problem.UnsafeTextException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as RFC 9457 problem JSON. Client mistakes name the field at fault; anything
 * unexpected is logged here and answered with a generic 500 that reveals nothing internal.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
  private final ApiProperties properties;
  private final DatabaseUnavailable databaseUnavailable;

  ApiExceptionHandler(ApiProperties properties, DatabaseUnavailable databaseUnavailable) {
    this.properties = properties;
    this.databaseUnavailable = databaseUnavailable;
  }

  @ExceptionHandler(BodyTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e) {
    return respond(BodyLimitFilter.tooLarge(properties.maxBodyBytes()));
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return respond(e.problem());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    return respond(
        Problems.validation(List.of(new FieldError(e.getName(), "has an invalid format"))));
  }

  /** The database out of reach or busy for now ({@link DatabaseUnavailable#is}): 503, not 500. */
  private ResponseEntity<ProblemDetail> databaseUnavailable(
      Exception e, HttpServletRequest request) {
    ProblemDetail problem =
        databaseUnavailable.answer(request.getMethod() + " " + request.getRequestURI(), e);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    if (DatabaseUnavailable.is(e)) {
      return databaseUnavailable(e, request);
    }
    log.error("unexpected error while serving a request", e);
    return respond(Problems.of(ProblemType.INTERNAL, "The request could not be completed."));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLargeException) {
        return asObject(respond(BodyLimitFilter.tooLarge(properties.maxBodyBytes())));
      }
    }
    return asObject(respond(unreadable(e)));
  }

  /** Gives Spring's own problems (404, 405, 415 ...) the shared types, adding our fields. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ResponseEntity<Object> response =
        super.handleExceptionInternal(e, body, headers, status, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      problem.setProperty("retryable", status.is5xxServerError());
      if ("about:blank".equals(problem.getType().toString())) {
        ProblemJson.typeFor(status.value())
            .ifPresent(
                type -> {
                  problem.setType(type.type());
                  problem.setTitle(type.title());
                  problem.setProperty("retryable", type.retryable());
                });
      }
      return ResponseEntity.status(response.getStatusCode())
          .headers(response.getHeaders())
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(problem);
    }
    return response;
  }

  private static ProblemDetail unreadable(HttpMessageNotReadableException e) {
    Throwable cause = e.getCause();
    if (cause instanceof MetadataTooLargeException tooLarge) {
      return Problems.validation(
          List.of(
              new FieldError(
                  "metadata", "must be at most " + tooLarge.limit() + " bytes as JSON")));
    }
    if (cause instanceof UnsafeTextException unsafe) {
      return Problems.validation(List.of(new FieldError(path(unsafe), SafeText.PROBLEM)));
    }
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return Problems.validation(List.of(new FieldError(path(unknown), "is not a known field")));
    }
    if (cause instanceof InvalidFormatException invalid) {
      return Problems.validation(List.of(new FieldError(path(invalid), "has an invalid value")));
    }
    if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
      return Problems.validation(
          List.of(new FieldError(path(mismatched), "has the wrong JSON type")));
    }
    if (cause instanceof JsonParseException) {
      return Problems.of(ProblemType.MALFORMED_REQUEST, "The body is not valid JSON.");
    }
    return Problems.of(ProblemType.MALFORMED_REQUEST, "The body is missing or not a JSON object.");
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  @SuppressWarnings("unchecked")
  private static ResponseEntity<Object> asObject(ResponseEntity<?> response) {
    return (ResponseEntity<Object>) response;
  }
}
