package io.mpcw.orchestrator.signing;

import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link RoastRun} ends its sessions: the winner is settled and signed from what the signers
 * recorded in etcd, every sibling aborted there; when nothing can finish, each session is settled
 * as etcd decides.
 */
final class RoastEnding {
  private final ClaimedTransaction claim;
  private final Wallet wallet;
  private final BuiltPayment payment;
  private final RoastCollaborators with;
  private final List<RoastSession> started;

  RoastEnding(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      RoastCollaborators with,
      List<RoastSession> started) {
    this.claim = claim;
    this.wallet = wallet;
    this.payment = payment;
    this.with = with;
    this.started = started;
  }

  /**
   * t valid shares: sign from what etcd holds, then end every sibling session.
   *
   * @return empty when every share verified, yet the records or the aggregate did not (reported;
   *     the run goes on)
   */
  Optional<StageOutcome> finish(RoastSession winner, Instant handled) {
    winner.settled = true;
    return settled(winner, handled);
  }

  /**
   * No session can start and none can finish: every started session is settled as etcd decides (one
   * whose shares are all recorded although a reply was lost is signed after all).
   *
   * @return the outcome of the first session that settles to one, else empty
   */
  Optional<StageOutcome> settleAll(Instant handled) {
    for (RoastSession s : started) {
      if (s.settled) {
        continue;
      }
      s.settled = true;
      for (String node : s.record.signers()) {
        s.outcomes.putIfAbsent(node, "no answer");
      }
      Optional<StageOutcome> outcome = settled(s, handled);
      if (outcome.isPresent()) {
        return outcome;
      }
    }
    return Optional.empty();
  }

  /**
   * Settles the session; what each signer did is recorded with the session's close when it signs
   * (one statement, in the transaction that moves the payment to signed), else at once. Should that
   * move fail (the lease lost), the replica that takes the payment over closes the session without
   * them: the outcomes are a diagnosis, the signature and the attempt are what count.
   */
  private Optional<StageOutcome> settled(RoastSession s, Instant handled) {
    SessionSettlement.Settled settled =
        with.settlement()
            .settle(
                claim,
                wallet,
                payment,
                s.record,
                s.round,
                s.valid,
                false,
                // a copy: the close runs when the move to signed commits, after this run
                Collections.unmodifiableMap(new LinkedHashMap<>(s.outcomes)));
    if (settled instanceof SessionSettlement.Settled.Signed signed) {
      settleSiblings(s);
      with.metrics().signed(claim.timeInState().plus(Duration.between(handled, Instant.now())));
      return Optional.of(signed.advance());
    }
    with.sessions().outcomes(s.record.sessionId(), s.outcomes);
    if (settled instanceof SessionSettlement.Settled.Undecided undecided) {
      return Optional.of(new StageOutcome.Retry(with.properties().retryDelay(), undecided.why()));
    }
    return Optional.empty();
  }

  private void settleSiblings(RoastSession winner) {
    for (RoastSession s : started) {
      if (s == winner || s.settled) {
        continue;
      }
      s.settled = true;
      Duration waited = Duration.between(s.record.startedAt(), Instant.now());
      for (String node : s.record.signers()) {
        if (s.outcomes.putIfAbsent(node, "no answer yet (a sibling session won)") == null) {
          // its round trip is at least this long: without the sample a slow signer (whose answers
          // always come after a sibling won) would keep its fast score and be chosen again
          with.requests().unanswered(node, waited);
        }
      }
      with.sessions().outcomes(s.record.sessionId(), s.outcomes);
      with.settlement().settleSibling(claim.tx().id(), s.record, s.round);
    }
  }
}
