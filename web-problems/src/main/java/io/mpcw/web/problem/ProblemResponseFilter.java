package io.mpcw.web.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First filter of every request. A {@code sendError} from anywhere below (Spring's own resolvers,
 * the security firewall, the actuator) is answered with problem JSON on the spot instead of the
 * container's error dispatch, and an exception nothing handled becomes a 500 problem (a request the
 * security firewall rejected, a 400) instead of an error page.
 */
public class ProblemResponseFilter extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(ProblemResponseFilter.class);
  private static final String REJECTED = "RequestRejectedException";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getRequestURI().indexOf(';') >= 0) {
      // path parameters (";x=1") are stripped by Tomcat before routing: "/health/;x" would be
      // served as "/health/", so a path that carries them is refused rather than reinterpreted
      ProblemJson.write(response, 400, null);
      return;
    }
    if ("TRACE".equals(request.getMethod())) {
      // Tomcat would answer it with an empty 405 before any filter; here it gets a body
      response.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
      ProblemJson.write(response, 405, request.getRequestURI());
      return;
    }
    try {
      chain.doFilter(request, new ProblemErrors(response, request.getRequestURI()));
    } catch (IOException | ServletException | RuntimeException e) {
      if (response.isCommitted()) {
        throw e;
      }
      int status = rejectedByFirewall(e) ? 400 : 500;
      if (status == 500) {
        log.error("request failed: {} {}", request.getMethod(), request.getRequestURI(), e);
      }
      ProblemJson.write(response, status, request.getRequestURI());
    }
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  private static boolean rejectedByFirewall(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals(REJECTED)) {
        return true;
      }
    }
    return false;
  }

  /** Turns {@code sendError} into a written problem. */
  private static final class ProblemErrors extends HttpServletResponseWrapper {
    private final String instance;

    ProblemErrors(HttpServletResponse response, String instance) {
      super(response);
      this.instance = instance;
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      sendError(status);
    }

    @Override
    public void sendError(int status) throws IOException {
      if (isCommitted()) {
        super.sendError(status);
        return;
      }
      ProblemJson.write((HttpServletResponse) getResponse(), status, instance);
    }
  }
}
