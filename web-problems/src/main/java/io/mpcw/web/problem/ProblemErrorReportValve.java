package io.mpcw.web.problem;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error page (HTML, with its version) for what it refuses before any servlet runs: a
 * malformed or undecodable URL ({@code %2F}, {@code %00}), bad request lines and headers. Answers
 * problem JSON instead.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    if (status == 501 || status == 505) {
      // an unknown transfer coding or HTTP version is the client's fault, not a server failure
      status = 400;
      response.setStatus(status);
    }
    try {
      byte[] body = ProblemJson.body(status, null);
      response.setHeader("Connection", "close");
      response.setContentType(ProblemJson.MEDIA_TYPE);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response was already closed: nothing left to tell it
    }
  }
}
