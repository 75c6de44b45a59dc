package io.mpcw.orchestrator.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.config.ApiProperties;
import io.mpcw.types.problem.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds API request bodies ({@code mpcw.api.max-body-bytes}): a declared length above the limit is
 * refused before anything is read, and a chunked body stops being read at the limit, so no request
 * can make the service buffer more than that.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodyLimitFilter extends OncePerRequestFilter {
  private final int limit;
  private final ObjectMapper json;

  BodyLimitFilter(ApiProperties api, ObjectMapper json) {
    this.limit = api.maxBodyBytes();
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > limit) {
      response.setStatus(413);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      // the body is not read: Tomcat drops the connection after this answer
      response.setHeader("Connection", "close");
      json.writeValue(response.getOutputStream(), tooLarge(limit));
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  static org.springframework.http.ProblemDetail tooLarge(int limit) {
    return Problems.of(
        ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than " + limit + " bytes.");
  }

  /** The request with a body stream that fails past the limit. */
  private static final class Limited extends HttpServletRequestWrapper {
    private final int limit;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, int limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), limit);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final int limit;
    private long read;

    Counting(ServletInputStream in, int limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
