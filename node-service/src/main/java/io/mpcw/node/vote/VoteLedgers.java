package io.mpcw.node.vote;

import io.etcd.jetcd.KV;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.EtcdVoteLedger;
import java.time.Duration;
import java.util.Optional;

/**
 * Hands out the vote ledger with its timeouts cut to what is left of a request's deadline: a cast
 * that retries past the moment the orchestrator stops listening would turn "etcd is unavailable,
 * retry" into a silent timeout.
 */
public final class VoteLedgers {

  /** Left for the reply to travel back once etcd has answered or given up. */
  static final Duration REPLY_MARGIN = Duration.ofMillis(100);

  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;
  private final Duration castDeadline;

  public VoteLedgers(KV kv, EtcdKeys keys, Duration callTimeout, Duration castDeadline) {
    this.kv = kv;
    this.keys = keys;
    this.callTimeout = callTimeout;
    this.castDeadline = castDeadline;
  }

  /**
   * The ledger to use with {@code remaining} time before the request's deadline (empty: no
   * deadline), or empty when too little is left to try.
   */
  public Optional<EtcdVoteLedger> within(Optional<Duration> remaining) {
    if (remaining.isEmpty()) {
      return Optional.of(new EtcdVoteLedger(kv, keys, callTimeout, castDeadline));
    }
    Duration budget = remaining.get().minus(REPLY_MARGIN);
    if (budget.isNegative() || budget.isZero()) {
      return Optional.empty();
    }
    Duration call = min(callTimeout, budget);
    // the ledger checks its deadline only after a failed call, so one more call may follow it
    Duration cast = min(castDeadline, budget.minus(call));
    return Optional.of(
        new EtcdVoteLedger(kv, keys, call, cast.isNegative() ? Duration.ZERO : cast));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
