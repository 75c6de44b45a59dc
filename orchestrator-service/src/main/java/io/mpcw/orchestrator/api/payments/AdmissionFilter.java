package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
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
 * Refuses a new payment while the cluster is full before any work is spent on it: no body parsed,
 * no database transaction, no wallet read. Under overload most requests are refusals, and what a
 * refusal costs is taken from the payments in flight. Runs after the security chain, so an
 * unauthenticated or read-only caller still gets 401 / 403. A request whose Idempotency-Key already
 * names an accepted payment goes on (its replay is answered even when busy), and so does a
 * malformed key (the API's 400 for it). {@link TransactionService} keeps the authoritative check:
 * this one only answers early what it would answer late.
 */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER + 1)
class AdmissionFilter extends OncePerRequestFilter {
  private static final String PATH = "/api/v1/transactions";

  private final Admission admission;
  private final TransactionService transactions;
  private final ObjectMapper json;
  private final OrchestrationMetrics metrics;
  private final DatabaseUnavailable databaseUnavailable;

  AdmissionFilter(
      Admission admission,
      TransactionService transactions,
      ObjectMapper json,
      OrchestrationMetrics metrics,
      DatabaseUnavailable databaseUnavailable) {
    this.admission = admission;
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
    boolean replay;
    try {
      busy = admission.refusal();
      replay = busy.isPresent() && mayBeReplay(request.getHeader("Idempotency-Key"));
    } catch (RuntimeException e) {
      if (!DatabaseUnavailable.is(e)) {
        throw e;
      }
      answer(
          request,
          response,
          HttpStatus.SERVICE_UNAVAILABLE,
          databaseUnavailable.answer("POST " + PATH, e),
          DatabaseUnavailable.RETRY_AFTER_SECONDS);
      return;
    }
    if (busy.isEmpty() || replay) {
      chain.doFilter(request, response);
      return;
    }
    metrics.refusedBusy();
    answer(
        request,
        response,
        HttpStatus.TOO_MANY_REQUESTS,
        busy.get().problem(),
        busy.get().retryAfterSeconds());
  }

  private void answer(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      ProblemDetail problem,
      long retryAfterSeconds)
      throws IOException {
    problem.setInstance(URI.create(request.getRequestURI()));
    response.setStatus(status.value());
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  private boolean mayBeReplay(String key) {
    return key != null
        && (!TransactionService.isWellFormedIdempotencyKey(key)
            || transactions.isKnownIdempotencyKey(key));
  }
}
