package io.mpcw.node.vote;

import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.policy.PolicyDecision;
import io.mpcw.node.policy.PolicyState;
import io.mpcw.node.policy.SpendWindow;
import io.mpcw.node.policy.VotePolicy;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteLedgerException;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One vote: decide by policy, sign, record with one ledger transaction, answer with what the ledger
 * holds. Blocking (etcd), so it runs on the vote workers, never on the transport's event loop.
 */
public final class VoteService {

  private final VotePolicy policy;
  private final SpendWindow spend;
  private final VoteRecorder recorder;
  private final ByzantineMode mode;
  private final VoteMetrics metrics;
  private final Clock clock;

  public VoteService(
      VotePolicy policy,
      SpendWindow spend,
      VoteRecorder recorder,
      ByzantineMode mode,
      VoteMetrics metrics,
      Clock clock) {
    this.policy = policy;
    this.spend = spend;
    this.recorder = recorder;
    this.mode = mode;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * @throws VoteLedgerException when etcd did not confirm the vote; nothing is answered then, since
   *     only a recorded vote may be
   * @throws VotingClosedException when the decision key existed: the vote this node signed was not
   *     recorded, so it is not returned either (a signed approval that is not in etcd could be
   *     placed there by whoever holds it); if it was an approval it still counts against the daily
   *     limit
   */
  public VoteResponse vote(VoteRequest request, EtcdVoteLedger ledger) {
    Prepared prepared = prepare(request);
    return conclude(prepared, ledger.cast(prepared.vote()));
  }

  /** A vote decided by policy and signed, not recorded yet. */
  public record Prepared(VoteRequest request, VoteRecord vote) {}

  /**
   * The first half of {@link #vote}: decide by policy (reserving an approval's amount against the
   * daily limit) and sign. What is prepared must be cast and then {@link #conclude}d; a cast that
   * fails leaves the reservation standing, as {@link #vote} does.
   */
  public Prepared prepare(VoteRequest request) {
    PolicyDecision verdict =
        policy.tracksDailySpend()
            ? spend.admit(request, state -> policy.evaluate(request, state))
            : policy.evaluate(request, PolicyState.empty());
    Decision decision = mode.recorded(verdict.decision());
    String reason =
        decision == verdict.decision() ? verdict.reason() : "rejected by fault switch " + mode.id();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return new Prepared(request, recorder.record(request.payload(), decision, reason, now));
  }

  /**
   * The second half of {@link #vote}, once the ledger has answered for the prepared vote.
   *
   * @throws VotingClosedException as {@link #vote} does
   */
  public VoteResponse conclude(Prepared prepared, CastResult result) {
    settle(prepared.request(), result);
    if (result instanceof CastResult.Late) {
      throw new VotingClosedException(prepared.request().txId());
    }
    return recorder.answer(
        prepared.request().payload(),
        VoteResponse.of(prepared.vote(), result),
        prepared.vote().signedAt());
  }

  private void settle(VoteRequest request, CastResult result) {
    if (policy.tracksDailySpend()) {
      // a late approval keeps its reservation: the node signed it, and every approval it signs
      // counts; only a rejection standing in the ledger frees what this evaluation reserved
      standingDecision(result)
          .ifPresent(
              standing -> {
                if (standing == Decision.APPROVE) {
                  spend.hold(request);
                } else {
                  spend.release(request.walletId(), request.txId());
                }
              });
    }
    if (result instanceof CastResult.Counted counted) {
      metrics.cast(counted.vote().decision());
    } else if (result instanceof CastResult.Late) {
      metrics.refused(VoteMetrics.Refusal.LATE);
    }
  }

  /** The decision the ledger holds for this node after the cast; empty when it refused it. */
  private static Optional<Decision> standingDecision(CastResult result) {
    if (result instanceof CastResult.Counted counted) {
      return Optional.of(counted.vote().decision());
    }
    if (result instanceof CastResult.Duplicate duplicate) {
      return Optional.of(duplicate.existing().decision());
    }
    return Optional.empty();
  }
}
