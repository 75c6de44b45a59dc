package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.config.ApiRole;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.security.ApiKeyRegistry;
import io.mpcw.orchestrator.web.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a new payment while the cluster is full before any work is spent on it: no security
 * filter chain, no body parsed, no database transaction, no wallet read. Under overload most
 * requests are refusals, and what a refusal costs is taken from the payments in flight.
 *
 * <p>It runs before the security chain, and only ever refuses: a request it does not refuse goes on
 * unchanged, to be authenticated and authorised there. So it refuses only a caller the chain would
 * let submit (a configured key of the submit role); any other caller passes on and is told 401 /
 * 403 as before, without learning whether the cluster is busy. A request whose Idempotency-Key
 * already names an accepted payment goes on too (its replay is answered even when busy), and so
 * does a malformed key (the API's 400 for it). {@link TransactionService} keeps the authoritative
 * check: this one only answers early what it would answer late.
 */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER - 1)
class AdmissionFilter extends OncePerRequestFilter {
  private static final String PATH = "/api/v1/transactions";

  private final Admission admission;
  private final ApiKeyRegistry keys;
  private final TransactionService transactions;
  private final ObjectMapper json;
  private final OrchestrationMetrics metrics;
  private final DatabaseUnavailable databaseUnavailable;

  /**
   * The last refusal's body: the count in it changes far less often than refusals are given, so
   * most refusals write these bytes instead of serialising the problem again.
   */
  private volatile RefusalBody lastRefusal;

  private record RefusalBody(long inFlight, long retryAfterSeconds, byte[] json) {}

  AdmissionFilter(
      Admission admission,
      ApiKeyRegistry keys,
      TransactionService transactions,
      ObjectMapper json,
      OrchestrationMetrics metrics,
      DatabaseUnavailable databaseUnavailable) {
    this.admission = admission;
    this.keys = keys;
    this.transactions = transactions;
    this.json = json;
    this.metrics = metrics;
    this.databaseUnavailable = databaseUnavailable;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || !PATH.equals(request.getRequestURI().substring(request.getContextPath().length()));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Admission.Busy> busy;
    boolean passOn;
    try {
      busy = admission.refusal();
      passOn =
          busy.isEmpty()
              || !maySubmit(request)
              || mayBeReplay(request.getHeader("Idempotency-Key"));
    } catch (RuntimeException e) {
      if (!DatabaseUnavailable.is(e)) {
        throw e;
      }
      ProblemDetail problem = databaseUnavailable.answer("POST " + PATH, e);
      problem.setInstance(URI.create(request.getRequestURI()));
      answer(
          response,
          HttpStatus.SERVICE_UNAVAILABLE,
          json.writeValueAsBytes(problem),
          DatabaseUnavailable.RETRY_AFTER_SECONDS);
      return;
    }
    if (passOn) {
      chain.doFilter(request, response);
      return;
    }
    metrics.refusedBusy();
    RefusalBody body = refusalBody(busy.get());
    answer(response, HttpStatus.TOO_MANY_REQUESTS, body.json(), body.retryAfterSeconds());
  }

  /** Whether the security chain would let this caller submit: a configured key of that role. */
  private boolean maySubmit(HttpServletRequest request) {
    return keys.authenticate(request).map(key -> key.role() == ApiRole.SUBMIT).orElse(false);
  }

  private boolean mayBeReplay(String key) {
    return key != null
        && (!TransactionService.isWellFormedIdempotencyKey(key)
            || transactions.isKnownIdempotencyKey(key));
  }

  private RefusalBody refusalBody(Admission.Busy busy) throws IOException {
    RefusalBody last = lastRefusal;
    if (last != null
        && last.inFlight() == busy.inFlight()
        && last.retryAfterSeconds() == busy.retryAfterSeconds()) {
      return last;
    }
    ProblemDetail problem = busy.problem();
    problem.setInstance(URI.create(PATH));
    RefusalBody fresh =
        new RefusalBody(busy.inFlight(), busy.retryAfterSeconds(), json.writeValueAsBytes(problem));
    lastRefusal = fresh;
    return fresh;
  }

  private static void answer(
      HttpServletResponse response, HttpStatus status, byte[] body, long retryAfterSeconds)
      throws IOException {
    response.setStatus(status.value());
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    // what the security chain would have added to the answer
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
