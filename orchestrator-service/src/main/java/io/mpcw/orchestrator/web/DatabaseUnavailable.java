package io.mpcw.orchestrator.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.RateLimitedLog;
import io.mpcw.types.problem.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The database did not give a connection in time or broke off a statement it may take again (a full
 * pool under overload, a lock cycle it broke, a restart): the request is answered 503 with {@code
 * Retry-After}, as a busy cluster is, never as a 500. Nothing was stored when no connection was
 * had; a request that may have been stored is retried safely with its Idempotency-Key. Each such
 * answer is counted; the log keeps a few lines a minute, since under overload there may be one per
 * request.
 */
@Component
public class DatabaseUnavailable {
  /** Whole seconds a client is told to wait. */
  public static final long RETRY_AFTER_SECONDS = 1;

  private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailable.class);

  private final Counter answered;
  private final RateLimitedLog lines;

  public DatabaseUnavailable(MeterRegistry registry) {
    this.answered =
        Counter.builder("orchestration_requests_database_unavailable_total")
            .description("API requests answered 503 because the database did not answer in time")
            .register(registry);
    this.lines = RateLimitedLog.perMinute(log, "api_database_unavailable", registry);
  }

  /** Whether {@code e} is the database being out of reach or busy for now. */
  public static boolean is(Throwable e) {
    return e instanceof CannotCreateTransactionException
        || e instanceof DataAccessResourceFailureException
        || e instanceof TransientDataAccessException;
  }

  /** Counts and logs the failure, and gives the 503 problem to answer with. */
  public ProblemDetail answer(String request, Throwable e) {
    answered.increment();
    lines.warn("database unavailable while serving {}: {}", request, e.toString());
    return Problems.of(
        ProblemType.UNAVAILABLE,
        "The database did not answer in time; retry after "
            + RETRY_AFTER_SECONDS
            + " s (with the same Idempotency-Key for a payment).");
  }
}
