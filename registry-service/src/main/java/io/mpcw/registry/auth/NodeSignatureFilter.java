package io.mpcw.registry.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.registry.web.Problems;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.pki.SignedRequestVerifier;
import io.mpcw.types.problem.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every API call must be signed by a certificate of the cluster CA ({@code mpcw-sig-v1}); the
 * verified caller and its certificate are handed to the controller, which checks that writes about
 * a node come from that node.
 */
public class NodeSignatureFilter extends OncePerRequestFilter {
  public static final String CALLER = "mpcw.caller";
  public static final String CALLER_CERTIFICATE = "mpcw.caller.certificate";
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final SignedRequestVerifier verifier;
  private final ObjectMapper json;

  public NodeSignatureFilter(SignedRequestVerifier verifier, ObjectMapper json) {
    this.verifier = verifier;
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
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      refuse(
          response, ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than 64 KiB.", 413);
      return;
    }
    String target =
        request.getRequestURI()
            + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    SignedRequestVerifier.Result verification =
        verifier.verify(request.getMethod(), target, body, request::getHeader);
    if (verification.caller().isEmpty()) {
      String reason =
          verification.refusal().map(SignedRequestVerifier.Refusal::description).orElseThrow();
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "mpcw-sig-v1");
      refuse(
          response,
          ProblemType.UNAUTHORIZED,
          "Calls must be signed with a cluster certificate (mpcw-sig-v1): " + reason + ".",
          401);
      return;
    }
    PeerIdentity caller = verification.caller().get();
    request.setAttribute(CALLER, caller.name());
    caller
        .certificate()
        .ifPresent(cert -> request.setAttribute(CALLER_CERTIFICATE, PemFiles.toPem(cert)));
    chain.doFilter(new CachedBody(request, body), response);
  }

  private void refuse(HttpServletResponse response, ProblemType type, String detail, int status)
      throws IOException {
    ProblemDetail problem = Problems.of(type, detail);
    problem.setStatus(status);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  /** Replays the body that was read to verify the signature. */
  private static final class CachedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }
      };
    }

    @Override
    public java.io.BufferedReader getReader() {
      return new java.io.BufferedReader(
          new java.io.InputStreamReader(getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
