package io.mpcw.hostile;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Sends generated hostile requests to one surface on 127.0.0.1 and tallies the answers: counts by
 * status ({@code closed} when the server dropped the connection without an answer) and every
 * finding (see {@link ResponseCheck}).
 */
public final class FuzzRun {
  private final HostileRequests requests;
  private final RawHttp http;
  private final ResponseCheck.Dialect dialect;

  public FuzzRun(HostileRequests requests, int port, ResponseCheck.Dialect dialect) {
    this.requests = requests;
    this.http = new RawHttp(port, Duration.ofSeconds(10));
    this.dialect = dialect;
  }

  /** Sends {@code count} requests drawn from {@code random}; stops early at {@code deadline}. */
  public Report run(int count, Random random, long deadlineNanos) {
    Map<String, Integer> byStatus = new TreeMap<>();
    List<Finding> findings = new ArrayList<>();
    int sent = 0;
    for (; sent < count && System.nanoTime() < deadlineNanos; sent++) {
      HostileRequest request = requests.next(random);
      Optional<RawHttp.Response> answer;
      try {
        answer = http.send(request.bytes());
      } catch (IOException e) {
        answer = Optional.empty();
      }
      byStatus.merge(answer.map(r -> String.valueOf(r.status())).orElse("closed"), 1, Integer::sum);
      Optional<RawHttp.Response> response = answer;
      ResponseCheck.finding(request, answer, dialect)
          .ifPresent(what -> findings.add(new Finding(what, request, response)));
    }
    return new Report(requests.name(), sent, byStatus, findings);
  }

  /** One answer that breaks the rules. */
  public record Finding(String what, HostileRequest request, Optional<RawHttp.Response> response) {
    @Override
    public String toString() {
      String body = response.map(RawHttp.Response::body).orElse("");
      body = body.replaceAll("\\s+", " ");
      return what
          + ": "
          + request.label()
          + " | "
          + request.requestLine()
          + " | "
          + response.map(RawHttp.Response::contentType).orElse("-")
          + " | "
          + (body.length() > 160 ? body.substring(0, 160) + "…" : body);
    }
  }

  /** The tally of one surface. */
  public record Report(
      String surface, int sent, Map<String, Integer> byStatus, List<Finding> findings) {}
}
