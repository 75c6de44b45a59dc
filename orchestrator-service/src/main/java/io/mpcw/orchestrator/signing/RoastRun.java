package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.transport.Endpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ROAST run (Ruffing et al., 2022) for one payment: FROST sessions on pre-shared commitments,
 * started as soon as t signers are ready, several at once, so that a signer that stays silent,
 * withholds round 2 or cheats never makes the payment wait for a timeout.
 *
 * <p>The ready set R holds the participants with pooled commitments that are neither waiting on a
 * session nor excluded. While |R| ≥ t (and fewer than n − t + 1 sessions were started), a session
 * takes the t best-scored of R out of R, is recorded in PostgreSQL, and round 2 is asked of all t
 * at once. Each share is verified on arrival against its signer's verifying share: a valid one puts
 * the signer back into R with the fresh commitments it returned (ROAST: a signer that answers is
 * ready again at once); an invalid share, a refusal that means cheating or a payment refusal
 * excludes the signer for this payment; a benign refusal (restarted, busy) takes it out of R until
 * it gives fresh commitments. The first session with t valid shares is settled and signed (from
 * what the nodes recorded in etcd, as every session is), every other session is aborted in etcd.
 * The run waits for events on a queue (replies, fresh commitments), never sleeping; every request
 * has a deadline, so the wait ends.
 */
final class RoastRun {
  private static final Logger log = LoggerFactory.getLogger(RoastRun.class);

  private sealed interface Event {
    record Reply(
        RoastSession session, String node, SignPooledShareResponse reply, Throwable failure)
        implements Event {}

    record Fresh(String node, int pooled) implements Event {}

    /**
     * The node's round-2 request of the session left the orchestrator (its lane sent it) in an
     * exchange of {@code batch} requests.
     */
    record Departed(RoastSession session, String node, Instant at, int batch) implements Event {}
  }

  private final ClaimedTransaction claim;
  private final Wallet wallet;
  private final BuiltPayment payment;
  private final Map<String, Endpoint> endpoints;
  private final Map<String, SignerSelection.Candidate> candidates;
  private final RoastCollaborators with;
  private final SignerAnswers answers;
  private final SiblingGrace grace;
  private final RoastEnding ending;
  private final List<byte[]> messages = new ArrayList<>();
  private final int inputs;
  private final int threshold;
  private final int maxSessions;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final ReadySet ready;
  private final List<RoastSession> started = new ArrayList<>();
  private final Instant begun = Instant.now();

  /**
   * @param candidates the participants that may sign, by node id, with their scores
   * @param endpoints their addresses
   */
  RoastRun(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      Map<String, SignerSelection.Candidate> candidates,
      Map<String, Endpoint> endpoints,
      RoastCollaborators with) {
    this.claim = claim;
    this.wallet = wallet;
    this.payment = payment;
    this.candidates = candidates;
    this.endpoints = endpoints;
    this.with = with;
    this.inputs = payment.unsigned().inputs().size();
    this.answers = new SignerAnswers(wallet, inputs);
    this.grace =
        new SiblingGrace(
            with.properties(), with.latencies().typicalSigning(), Clock.systemDefaultZone());
    this.ending = new RoastEnding(claim, wallet, payment, with, started);
    this.ready =
        new ReadySet(
            with.pools(),
            wallet,
            endpoints,
            inputs,
            with.properties().commitmentPool(),
            (node, pooled) -> events.add(new Event.Fresh(node, pooled)));
    this.threshold = wallet.threshold();
    this.maxSessions = wallet.participants().size() - threshold + 1;
    TaprootSighash sighash = new TaprootSighash(payment.unsigned(), payment.prevouts());
    for (int i = 0; i < inputs; i++) {
      messages.add(sighash.sigHash(i, SighashType.DEFAULT));
    }
  }

  /** Runs until the payment is signed, or no further session can start and none can finish. */
  StageOutcome run(Instant handled) {
    candidates.keySet().forEach(ready::admitOrRefill);
    try {
      while (true) {
        if (!startSessions()) {
          with.metrics().sessionsPerRun(started.size());
          return new StageOutcome.Retry(
              with.properties().retryDelay(), "claim lost before round 2");
        }
        RunTurn turn =
            RunTurn.next(
                ready.size() >= threshold && started.size() < maxSessions,
                graceEnds(),
                somethingPending(),
                Instant.now(),
                with.properties().requestDeadline().multipliedBy(2));
        if (turn.kind() == RunTurn.Kind.START_NOW) {
          continue; // the grace ended after startSessions looked: siblings may start
        }
        if (turn.kind() == RunTurn.Kind.GIVE_UP) {
          return giveUp(handled);
        }
        Event event = events.poll(turn.waitFor().toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
          if (turn.kind() == RunTurn.Kind.AWAIT_GRACE) {
            continue; // the grace is over: siblings may start
          }
          return giveUp(handled);
        }
        Optional<StageOutcome> done = on(event, handled);
        if (done.isPresent()) {
          with.metrics().sessionsPerRun(started.size());
          return done.get();
        }
      }
    } catch (InterruptedException e) {
      // the sessions stay open in PostgreSQL: whoever runs next settles them first
      Thread.currentThread().interrupt();
      return new StageOutcome.Retry(with.properties().retryDelay(), "interrupted");
    }
  }

  /**
   * Starts sessions while t signers are ready and the bound allows.
   *
   * @return false when a session could not be recorded (the lease is lost): stop at once
   */
  private boolean startSessions() {
    while (ready.size() >= threshold && started.size() < maxSessions && graceEnds().isEmpty()) {
      List<SignerSelection.Candidate> ranked = ready.nodes().stream().map(candidates::get).toList();
      List<String> signers =
          SignerSelection.choose(ranked, Set.of(), threshold).stream()
              .map(SignerSelection.Candidate::nodeId)
              .sorted()
              .toList();
      Map<String, List<CommitmentPools.Pooled>> taken = new LinkedHashMap<>();
      for (String node : signers) {
        with.pools()
            .take(node, wallet, endpoints.get(node), inputs)
            .ifPresentOrElse(
                list -> taken.put(node, list),
                () -> {
                  // another payment took them meanwhile
                  ready.refill(node);
                });
      }
      if (taken.size() < threshold) {
        continue; // what was taken is never sent: those nonces just expire on the nodes
      }
      RoastSession session = RoundTwo.open(claim, payment, messages, signers, taken);
      if (!with.sessions().opened(session.record, claim.leaseToken())) {
        log.info(
            "signing session {} of {} not opened: claim lost",
            session.record.sessionId(),
            claim.tx().id());
        return false;
      }
      ready.take(signers);
      if (!started.isEmpty()) {
        SiblingGrace.Reason why = grace.why(started);
        with.metrics().siblingStarted(why);
        log.debug(
            "sibling session {} of {} started ({}; ceiling {} ms)",
            session.record.sessionId(),
            claim.tx().id(),
            why.wireName(),
            grace.ceiling().toMillis());
      }
      started.add(session);
      askRoundTwo(session, taken);
    }
    return true;
  }

  /** While a session that can still complete is within its grace, no sibling starts. */
  private Optional<Instant> graceEnds() {
    return grace.ends(started, ready.refilling(), begun);
  }

  private void askRoundTwo(RoastSession session, Map<String, List<CommitmentPools.Pooled>> taken) {
    ShareExchanges.Encoded request =
        ShareExchanges.Encoded.of(
            RoundTwo.request(claim, wallet, payment, session.record, RoundTwo.wire(taken)));
    for (String node : session.record.signers()) {
      session.queued(node);
      with.requests()
          .roundTwo(
              node,
              endpoints.get(node),
              request,
              batch -> events.add(new Event.Departed(session, node, Instant.now(), batch)))
          .handle((reply, failure) -> events.add(new Event.Reply(session, node, reply, failure)));
    }
  }

  private boolean somethingPending() {
    boolean replies = started.stream().anyMatch(s -> !s.settled && s.waiting());
    boolean fresh = ready.refilling() && started.size() < maxSessions;
    return replies || fresh;
  }

  private Optional<StageOutcome> on(Event event, Instant handled) {
    if (event instanceof Event.Fresh fresh) {
      ready.fresh(fresh.node(), fresh.pooled(), busy(fresh.node()));
      return Optional.empty();
    }
    if (event instanceof Event.Departed departed) {
      departed.session().departed(departed.node(), departed.at(), departed.batch());
      return Optional.empty();
    }
    Event.Reply reply = (Event.Reply) event;
    RoastSession session = reply.session();
    String node = reply.node();
    if (reply.failure() != null) {
      failed(session, node, reply.failure());
      answered(session);
      return Optional.empty();
    }
    if (!answers.validShares(session, node, reply.reply())) {
      session.outcomes.put(node, "invalid share");
      ready.exclude(node);
      answered(session);
      return Optional.empty();
    }
    session.validShare(node, Instant.now());
    session.outcomes.put(node, "share ok");
    if (with.pools().accept(wallet, node, reply.reply().fresh()).isEmpty()) {
      // its share stands; its next commitments do not: not used again for this payment
      session.outcomes.put(node, "share ok; fresh commitments refused");
      ready.exclude(node);
    } else {
      ready.admitOrRefill(node);
    }
    answered(session);
    if (!session.settled && session.complete()) {
      return ending.finish(session, handled);
    }
    return Optional.empty();
  }

  private void answered(RoastSession session) {
    if (!session.waiting()) {
      with.hook().answered(claim.tx().id(), session.record.sessionId());
    }
  }

  /** Whether the node still owes an answer in a session not settled yet. */
  private boolean busy(String node) {
    return started.stream().anyMatch(s -> s.owes(node));
  }

  private void failed(RoastSession session, String node, Throwable failure) {
    switch (answers.failed(session, node, failure)) {
      case EXCLUDE -> ready.exclude(node);
      case DROP_POOL_AND_REFILL -> {
        // it restarted: every commitment pooled of it is void
        with.pools().drop(node, wallet);
        ready.refill(node);
      }
      case REFILL -> {
        // out of R until it gives fresh commitments (not on its pooled ones: it just failed)
        ready.refill(node);
      }
      case STAY_OUT -> {}
    }
  }

  /** No session can start and none can finish: every started session is settled as etcd decides. */
  private StageOutcome giveUp(Instant handled) {
    with.metrics().sessionsPerRun(started.size());
    Optional<StageOutcome> settled = ending.settleAll(handled);
    if (settled.isPresent()) {
      return settled.get();
    }
    String why =
        started.isEmpty()
            ? ready.size()
                + " of "
                + threshold
                + " signers ready with commitments"
                + (ready.excluded().isEmpty() ? "" : " (excluded: " + ready.excluded() + ")")
            : started.size() + " session(s), none with " + threshold + " valid shares";
    log.info("signing run for {} ended unsigned: {}", claim.tx().id(), why);
    return new StageOutcome.Retry(with.properties().retryDelay(), why);
  }
}
