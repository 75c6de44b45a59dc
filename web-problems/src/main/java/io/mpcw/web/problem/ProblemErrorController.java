package io.mpcw.web.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Replaces Spring Boot's {@code /error} (its {@code {"timestamp", ...}} body) for what still
 * reaches the container's error dispatch, and for a client that asks for {@code /error} itself
 * (404).
 */
public class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:${error.path:/error}}")
  public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    int code = status instanceof Integer value && value >= 400 ? value : 404;
    ProblemJson.write(response, code, uri instanceof String path ? path : request.getRequestURI());
  }
}
