package io.mpcw.orchestrator.api.payments;

import io.mpcw.orchestrator.config.AdmissionProperties;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.ProblemType;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Backpressure for new payments: counts the payments that still need the cluster (pending up to
 * signed; broadcasting ones only wait for blocks) in the shared database and refuses a new one
 * above the bound. Concurrent requests may each see room for one more, so the bound can be passed
 * by at most the number of requests admitted at the same instant.
 */
@Component
class Admission {
  /**
   * The wire names of the states still waiting for the cluster: every non-terminal state but {@code
   * broadcasting}, whose payments only wait for blocks.
   */
  private static final String[] NEEDING_THE_CLUSTER =
      Arrays.stream(TransactionState.values())
          .filter(s -> !s.isTerminal() && s != TransactionState.BROADCASTING)
          .map(TransactionState::wireName)
          .toArray(String[]::new);

  private final JdbcClient jdbc;
  private final AdmissionProperties properties;

  Admission(JdbcClient jdbc, AdmissionProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  /** Throws {@link Busy} when the cluster already carries as many payments as it may. */
  void admitOne() {
    if (properties.maxInFlight() == 0) {
      return;
    }
    // the states bound, never written in the statement: the index on state serves any of them
    long inFlight =
        jdbc.sql("SELECT count(*) FROM transactions WHERE state = ANY(?::text[])")
            .param(NEEDING_THE_CLUSTER)
            .query(Long.class)
            .single();
    if (inFlight >= properties.maxInFlight()) {
      throw new Busy(inFlight, properties.retryAfter());
    }
  }

  /** The 429 answer: retryable, with how long to wait. */
  static final class Busy extends ApiException {
    private final transient Duration retryAfter;

    Busy(long inFlight, Duration retryAfter) {
      super(
          ProblemType.BUSY,
          inFlight
              + " payments are in flight, as many as the cluster takes at once; retry after "
              + retryAfterSeconds(retryAfter)
              + " s.");
      this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least 1 (Retry-After has no fractions). */
    long retryAfterSeconds() {
      return retryAfterSeconds(retryAfter);
    }

    private static long retryAfterSeconds(Duration d) {
      return Math.max(1, (d.toMillis() + 999) / 1000);
    }
  }
}
