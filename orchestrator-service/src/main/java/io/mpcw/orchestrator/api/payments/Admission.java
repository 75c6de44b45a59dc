package io.mpcw.orchestrator.api.payments;

import io.mpcw.orchestrator.config.AdmissionProperties;
import io.mpcw.orchestrator.transaction.StateLiterals;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.ProblemType;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Backpressure for new payments: counts the payments that still need the cluster (pending up to
 * signed; broadcasting ones only wait for blocks) in the shared database and refuses a new one
 * above the bound. Replicas count on their own, so the bound can be passed by what the other
 * replicas admit within one {@code recount}.
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

  /**
   * The states written into the statement, not bound: a plan that knows them counts from the
   * partial index {@code transactions_due} and is planned once; with the states bound, PostgreSQL
   * planned every count again (docs/benchmarks.md, eighteenth round).
   */
  static final String COUNT_IN_FLIGHT =
      "SELECT count(*) FROM transactions WHERE state IN ("
          + StateLiterals.list(NEEDING_THE_CLUSTER)
          + ")";

  private final AdmissionProperties properties;
  private final LongSupplier countInFlight;
  private final LongSupplier nanoClock;

  /** The last count, when it was made, and how many this replica admitted since. */
  private long counted;

  private long countedAt;
  private long admittedSince;
  private boolean fresh;

  /** A caller is counting now (without the lock); the others use the last count meanwhile. */
  private boolean counting;

  @Autowired
  Admission(JdbcClient jdbc, AdmissionProperties properties) {
    this(properties, () -> jdbc.sql(COUNT_IN_FLIGHT).query(Long.class).single(), System::nanoTime);
  }

  Admission(AdmissionProperties properties, LongSupplier countInFlight, LongSupplier nanoClock) {
    this.properties = properties;
    this.countInFlight = countInFlight;
    this.nanoClock = nanoClock;
  }

  /**
   * Throws {@link Busy} when the cluster already carries as many payments as it may. One count in
   * the database serves for {@code recount}: the payments this replica admitted since are added to
   * it, those that finished meanwhile are not taken off (so a stale count errs towards refusing),
   * and other replicas' admissions in that time are what the bound may be passed by.
   */
  void admitOne() {
    Optional<Busy> busy = check(true);
    if (busy.isPresent()) {
      throw busy.get();
    }
  }

  /**
   * The refusal {@link #admitOne} would give now, admitting nothing: lets a request be refused
   * before any work is spent on it (see {@link AdmissionFilter}).
   */
  Optional<Busy> refusal() {
    return check(false);
  }

  private Optional<Busy> check(boolean admit) {
    if (properties.maxInFlight() == 0) {
      return Optional.empty();
    }
    recountIfDue();
    long inFlight;
    synchronized (this) {
      inFlight = counted + admittedSince;
      if (inFlight < properties.maxInFlight()) {
        if (admit) {
          admittedSince++;
        }
        return Optional.empty();
      }
    }
    return Optional.of(new Busy(inFlight, properties.retryAfter()));
  }

  /**
   * Counts again when the count is due: one caller at a time, and never under the lock. The count
   * needs a database connection; a caller waiting for one while holding the lock stopped the whole
   * API once, because the requests holding every connection of the pool (inside their transactions)
   * were waiting for the lock. Until the first count is in, what this replica admitted is the
   * count.
   */
  private void recountIfDue() {
    long now = nanoClock.getAsLong();
    long admittedBefore;
    synchronized (this) {
      if (counting || (fresh && now - countedAt < properties.recount().toNanos())) {
        return;
      }
      counting = true;
      admittedBefore = admittedSince;
    }
    try {
      long count = countInFlight.getAsLong();
      synchronized (this) {
        counted = count;
        countedAt = now;
        // those admitted while counting may be in the count or not: kept, erring towards refusing
        admittedSince -= admittedBefore;
        fresh = true;
      }
    } finally {
      synchronized (this) {
        counting = false;
      }
    }
  }

  /** The 429 answer: retryable, with how long to wait. */
  static final class Busy extends ApiException {
    private final transient Duration retryAfter;
    private final long inFlight;

    Busy(long inFlight, Duration retryAfter) {
      super(
          ProblemType.BUSY,
          inFlight
              + " payments are in flight, as many as the cluster takes at once; retry after "
              + retryAfterSeconds(retryAfter)
              + " s.");
      this.retryAfter = retryAfter;
      this.inFlight = inFlight;
    }

    /** The payments in flight the refusal counted. */
    long inFlight() {
      return inFlight;
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
