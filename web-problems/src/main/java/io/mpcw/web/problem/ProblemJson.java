package io.mpcw.web.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcw.types.problem.ProblemType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * The problem JSON written outside Spring MVC's exception handlers: for errors the container or a
 * filter raises. The detail is a fixed sentence per status, so nothing of the cause (exception
 * text, parser state, class names) reaches the client.
 */
public final class ProblemJson {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemJson() {}

  /** The shared problem type of a status, when there is one. */
  public static Optional<ProblemType> typeFor(int status) {
    return switch (status) {
      case 400 -> Optional.of(ProblemType.MALFORMED_REQUEST);
      case 409 -> Optional.of(ProblemType.CONFLICT);
      default -> Arrays.stream(ProblemType.values()).filter(t -> t.status() == status).findFirst();
    };
  }

  /** What a status means to the client, in words. */
  public static String detailFor(int status) {
    return switch (status) {
      case 400 ->
          "The request cannot be read: its request line, URL, headers or body are malformed.";
      case 401 -> "Authentication is required.";
      case 403 -> "This request is not allowed.";
      case 404 -> "Nothing is served at this path.";
      case 405 -> "This method is not allowed on this path.";
      case 406 -> "No acceptable representation; this service answers JSON.";
      case 413 -> "The request body is too large.";
      case 414 -> "The request URI is too long.";
      case 415 -> "This media type is not supported; send application/json.";
      case 431 -> "The request headers are too large.";
      case 500 -> "The request could not be completed.";
      case 503 -> "The service is unavailable.";
      default ->
          Optional.ofNullable(HttpStatus.resolve(status))
              .map(s -> s.getReasonPhrase() + ".")
              .orElse("The request failed.");
    };
  }

  /** The body for {@code status}, with {@code instance} when known. */
  public static byte[] body(int status, String instance) {
    ObjectNode problem = JSON.createObjectNode();
    Optional<ProblemType> type = typeFor(status);
    problem.put("type", type.map(t -> t.type().toString()).orElse("about:blank"));
    problem.put(
        "title",
        type.map(ProblemType::title)
            .orElseGet(
                () ->
                    Optional.ofNullable(HttpStatus.resolve(status))
                        .map(HttpStatus::getReasonPhrase)
                        .orElse("Error")));
    problem.put("status", status);
    problem.put("detail", detailFor(status));
    if (instance != null && !instance.isEmpty() && instance.length() <= 512) {
      problem.put("instance", instance);
    }
    problem.put("retryable", type.map(ProblemType::retryable).orElse(status >= 500));
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a problem", e);
    }
  }

  /** Writes the problem for {@code status} as the whole response. */
  public static void write(HttpServletResponse response, int status, String instance)
      throws IOException {
    byte[] body = body(status, instance);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
