package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.PooledCommitment;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPooledShareResponse;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
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

  /**
   * Called once every signer of a session answered its round 2 or failed to, before the session is
   * settled (the takeover tests stop a replica there).
   */
  interface RoundTwoAnswered {
    void answered(UUID txId, UUID sessionId);
  }

  /** What the collaborators of a run are; one set per signing stage. */
  record Collaborators(
      CommitmentPools pools,
      SignerRequests requests,
      SigningSessions sessions,
      SessionSettlement settlement,
      SigningProperties properties,
      SigningMetrics metrics,
      RoundTwoAnswered hook) {}

  private sealed interface Event {
    record Reply(Session session, String node, SignPooledShareResponse reply, Throwable failure)
        implements Event {}

    record Fresh(String node, int pooled) implements Event {}
  }

  /** A started session and what each of its signers did. */
  private static final class Session {
    final SigningSession record;
    final List<SigningPackage> packages;
    final SigningRound round = new SigningRound();
    final Map<String, String> outcomes = new LinkedHashMap<>();
    final Set<String> valid = new HashSet<>();
    Duration slowestValid = Duration.ZERO;
    boolean settled;

    Session(SigningSession record, List<SigningPackage> packages) {
      this.record = record;
      this.packages = packages;
    }

    boolean waiting() {
      return outcomes.size() < record.signers().size();
    }
  }

  private final ClaimedTransaction claim;
  private final Wallet wallet;
  private final BuiltPayment payment;
  private final Map<String, Endpoint> endpoints;
  private final Map<String, SignerSelection.Candidate> candidates;
  private final Collaborators with;
  private final Frost frost = Frost.taproot();
  private final PublicKeyPackage keys;
  private final List<byte[]> messages = new ArrayList<>();
  private final int inputs;
  private final int threshold;
  private final int maxSessions;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Set<String> ready = new LinkedHashSet<>();
  private final Set<String> awaitingFresh = new HashSet<>();
  private final Set<String> excluded = new HashSet<>();
  private final List<Session> started = new ArrayList<>();
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
      Collaborators with) {
    this.claim = claim;
    this.wallet = wallet;
    this.payment = payment;
    this.candidates = candidates;
    this.endpoints = endpoints;
    this.with = with;
    this.keys = wallet.publicKeyPackage().orElseThrow();
    this.inputs = payment.unsigned().inputs().size();
    this.threshold = wallet.threshold();
    this.maxSessions = wallet.participants().size() - threshold + 1;
    TaprootSighash sighash = new TaprootSighash(payment.unsigned(), payment.prevouts());
    for (int i = 0; i < inputs; i++) {
      messages.add(sighash.sigHash(i, SighashType.DEFAULT));
    }
  }

  /** Runs until the payment is signed, or no further session can start and none can finish. */
  StageOutcome run(Instant handled) {
    candidates.keySet().forEach(this::admitOrRefill);
    try {
      while (true) {
        if (!startSessions()) {
          with.metrics().sessionsPerRun(started.size());
          return new StageOutcome.Retry(
              with.properties().retryDelay(), "claim lost before round 2");
        }
        boolean heldBack = heldBack();
        if (!somethingPending() && !heldBack) {
          return giveUp(handled);
        }
        long wait =
            heldBack
                ? Math.max(
                    1,
                    graceEnds().map(g -> Duration.between(Instant.now(), g).toMillis()).orElse(1L))
                : with.properties().requestDeadline().multipliedBy(2).toMillis();
        Event event = events.poll(wait, TimeUnit.MILLISECONDS);
        if (event == null) {
          if (heldBack) {
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

  /** Puts the node into R if it has enough pooled commitments, else asks it for fresh ones. */
  private void admitOrRefill(String node) {
    if (excluded.contains(node) || !candidates.containsKey(node)) {
      return;
    }
    if (with.pools().available(node, wallet) >= inputs) {
      ready.add(node);
      return;
    }
    refill(node);
  }

  private void refill(String node) {
    if (awaitingFresh.add(node)) {
      with.pools()
          .refill(
              wallet,
              node,
              endpoints.get(node),
              Math.max(with.properties().commitmentPool(), inputs))
          .thenAccept(pooled -> events.add(new Event.Fresh(node, pooled)));
    }
  }

  /**
   * Starts sessions while t signers are ready and the bound allows.
   *
   * @return false when a session could not be recorded (the lease is lost): stop at once
   */
  private boolean startSessions() {
    while (ready.size() >= threshold && started.size() < maxSessions && graceEnds().isEmpty()) {
      List<SignerSelection.Candidate> ranked = ready.stream().map(candidates::get).toList();
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
                  ready.remove(node);
                  admitOrRefill(node);
                });
      }
      if (taken.size() < threshold) {
        continue; // what was taken is never sent: those nonces just expire on the nodes
      }
      Session session = open(signers, taken);
      if (!with.sessions().opened(session.record, claim.leaseToken())) {
        log.info(
            "signing session {} of {} not opened: claim lost",
            session.record.sessionId(),
            claim.tx().id());
        return false;
      }
      ready.removeAll(signers);
      started.add(session);
      askRoundTwo(session, taken);
    }
    return true;
  }

  /**
   * A session that can still complete and started less than the sibling grace ago: while one runs,
   * no sibling starts (with honest signers, one session and one round trip); once the grace is
   * over, or as soon as one of its signers fails, siblings start as ROAST says.
   */
  private Optional<Instant> graceEnds() {
    Instant now = Instant.now();
    if (started.isEmpty() && !awaitingFresh.isEmpty()) {
      // cold pools: give every candidate the grace to answer, so the first session is the best
      // scored, not the first to answer
      Instant end = begun.plus(with.properties().siblingGrace());
      return now.isBefore(end) ? Optional.of(end) : Optional.empty();
    }
    return started.stream()
        .filter(s -> !s.settled && s.waiting() && s.valid.size() == s.outcomes.size())
        .map(s -> s.record.startedAt().plus(grace(s)))
        .filter(now::isBefore)
        .min(Instant::compareTo);
  }

  /**
   * The sibling grace of one session: the configured ceiling, shortened once some of its signers
   * answered to a multiple of the slowest of those answers (the signers still owing one are then
   * stragglers measured against their peers on the same payment, whatever the machine's load).
   */
  private Duration grace(Session s) {
    Duration ceiling = with.properties().siblingGrace();
    if (s.valid.isEmpty()) {
      return ceiling;
    }
    long straggler =
        Math.max(
            with.properties().stragglerFloor().toNanos(),
            (long) (s.slowestValid.toNanos() * with.properties().stragglerFactor()));
    return straggler < ceiling.toNanos() ? Duration.ofNanos(straggler) : ceiling;
  }

  /** Sessions could start but wait for the grace of one still running. */
  private boolean heldBack() {
    return ready.size() >= threshold && started.size() < maxSessions && graceEnds().isPresent();
  }

  private Session open(List<String> signers, Map<String, List<CommitmentPools.Pooled>> taken) {
    Map<String, List<String>> hex = new LinkedHashMap<>();
    Map<String, List<UUID>> ids = new LinkedHashMap<>();
    List<SigningPackage> packages = new ArrayList<>();
    for (String node : signers) {
      hex.put(node, taken.get(node).stream().map(p -> p.wire().commitment()).toList());
      ids.put(node, taken.get(node).stream().map(p -> p.wire().id()).toList());
    }
    for (int i = 0; i < inputs; i++) {
      List<SigningCommitments> forInput = new ArrayList<>();
      for (String node : signers) {
        forInput.add(taken.get(node).get(i).decoded());
      }
      packages.add(new SigningPackage(messages.get(i), forInput));
    }
    SigningSession record =
        new SigningSession(
            UUID.randomUUID(),
            claim.tx().id(),
            signers,
            hex,
            ids,
            payment.unsigned().txid().toDisplayHex(),
            Instant.now());
    return new Session(record, packages);
  }

  private void askRoundTwo(Session session, Map<String, List<CommitmentPools.Pooled>> taken) {
    Map<String, List<PooledCommitment>> wire = new LinkedHashMap<>();
    taken.forEach(
        (node, list) -> wire.put(node, list.stream().map(CommitmentPools.Pooled::wire).toList()));
    byte[] request =
        ProtocolMessages.encode(roundTwo(claim, wallet, payment, session.record, wire));
    for (String node : session.record.signers()) {
      with.requests()
          .send(
              node,
              endpoints.get(node),
              SignPooledShareRequest.TYPE,
              request,
              SignPooledShareResponse.class)
          .handle((reply, failure) -> events.add(new Event.Reply(session, node, reply, failure)));
    }
  }

  /** Round 2 of a session on pooled commitments: the whole payment, every signer's commitments. */
  static SignPooledShareRequest roundTwo(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      Map<String, List<PooledCommitment>> commitments) {
    List<Prevout> prevouts =
        payment.prevouts().stream()
            .map(p -> new Prevout(p.valueSats(), Hex.encode(p.scriptPubKey())))
            .toList();
    return new SignPooledShareRequest(
        session.sessionId(),
        claim.tx().id(),
        wallet.id(),
        claim.tx().recipient(),
        claim.tx().amountSats(),
        payment.unsigned().toHex(),
        prevouts,
        commitments,
        wallet.keyEpoch());
  }

  private boolean somethingPending() {
    boolean replies = started.stream().anyMatch(s -> !s.settled && s.waiting());
    boolean fresh = !awaitingFresh.isEmpty() && started.size() < maxSessions;
    return replies || fresh;
  }

  private Optional<StageOutcome> on(Event event, Instant handled) {
    if (event instanceof Event.Fresh fresh) {
      awaitingFresh.remove(fresh.node());
      if (fresh.pooled() > 0 && !busy(fresh.node()) && !excluded.contains(fresh.node())) {
        if (with.pools().available(fresh.node(), wallet) >= inputs) {
          ready.add(fresh.node());
        }
      }
      return Optional.empty();
    }
    Event.Reply reply = (Event.Reply) event;
    Session session = reply.session();
    String node = reply.node();
    if (reply.failure() != null) {
      refused(session, node, reply.failure());
      answered(session);
      return Optional.empty();
    }
    if (!validShares(session, node, reply.reply())) {
      session.outcomes.put(node, "invalid share");
      excluded.add(node);
      answered(session);
      return Optional.empty();
    }
    session.valid.add(node);
    Duration took = Duration.between(session.record.startedAt(), Instant.now());
    if (took.compareTo(session.slowestValid) > 0) {
      session.slowestValid = took;
    }
    session.outcomes.put(node, "share ok");
    if (with.pools().accept(wallet, node, reply.reply().fresh()).isEmpty()) {
      // its share stands; its next commitments do not: not used again for this payment
      session.outcomes.put(node, "share ok; fresh commitments refused");
      excluded.add(node);
    } else {
      admitOrRefill(node);
    }
    answered(session);
    if (!session.settled && session.valid.size() == session.record.signers().size()) {
      return finish(session, handled);
    }
    return Optional.empty();
  }

  private void answered(Session session) {
    if (!session.waiting()) {
      with.hook().answered(claim.tx().id(), session.record.sessionId());
    }
  }

  /** Whether the node still owes an answer in a session not settled yet. */
  private boolean busy(String node) {
    return started.stream()
        .anyMatch(
            s -> !s.settled && s.record.signers().contains(node) && !s.outcomes.containsKey(node));
  }

  private void refused(Session session, String node, Throwable failure) {
    String why = SignerRequests.describe(failure);
    switch (SignerRequests.Failure.of(failure)) {
      case PAYMENT_REFUSAL -> {
        session.round.refused(node, why);
        session.outcomes.put(node, "refused: " + why);
        excluded.add(node);
      }
      case CHEATING -> {
        session.round.culprit(node, "refused a package of its own commitments: " + why);
        session.outcomes.put(node, "refused: " + why);
        excluded.add(node);
      }
      case BENIGN -> {
        session.round.unreachable(node, why);
        session.outcomes.put(node, "refused: " + why);
        if (why.startsWith(ProtocolErrors.UNKNOWN_SESSION)) {
          // it restarted: every commitment pooled of it is void
          with.pools().drop(node, wallet);
        }
        // out of R until it gives fresh commitments (not on its pooled ones: it just failed)
        refill(node);
      }
      case SILENT -> {
        Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
        if (cause instanceof IllegalArgumentException) {
          session.round.culprit(node, "malformed reply");
          session.outcomes.put(node, "invalid share");
          excluded.add(node);
        } else {
          String tag = cause instanceof TransportException te ? te.kind().tag() : why;
          session.round.unreachable(node, tag);
          session.outcomes.put(node, "no answer: " + tag);
        }
      }
    }
  }

  /** Shares well-formed, under the node's identifier, and each valid for its input. */
  private boolean validShares(Session session, String node, SignPooledShareResponse reply) {
    Optional<List<SignatureShare>> shares =
        SessionSettlement.decodeShares(
            wallet,
            session.record.sessionId(),
            node,
            reply.asShareResponse(),
            inputs,
            session.round);
    if (shares.isEmpty()) {
      return false;
    }
    for (int i = 0; i < inputs; i++) {
      try {
        frost.verifyShare(shares.get().get(i), session.packages.get(i), keys);
      } catch (FrostException e) {
        session.round.culprit(node, "invalid signature share for input " + i);
        return false;
      }
    }
    return true;
  }

  /** t valid shares: sign from what etcd holds, then end every sibling session. */
  private Optional<StageOutcome> finish(Session winner, Instant handled) {
    winner.settled = true;
    with.sessions().outcomes(winner.record.sessionId(), winner.outcomes);
    SessionSettlement.Settled settled =
        with.settlement()
            .settle(claim, wallet, payment, winner.record, winner.round, winner.valid, false);
    if (settled instanceof SessionSettlement.Settled.Signed signed) {
      settleSiblings(winner);
      with.metrics().signed(claim.timeInState().plus(Duration.between(handled, Instant.now())));
      return Optional.of(signed.advance());
    }
    if (settled instanceof SessionSettlement.Settled.Undecided undecided) {
      return Optional.of(new StageOutcome.Retry(with.properties().retryDelay(), undecided.why()));
    }
    // every share verified, yet the records or the aggregate did not: reported, go on
    return Optional.empty();
  }

  private void settleSiblings(Session winner) {
    for (Session s : started) {
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

  /**
   * No session can start and none can finish: every started session is settled as etcd decides (one
   * whose shares are all recorded although a reply was lost is signed after all).
   */
  private StageOutcome giveUp(Instant handled) {
    with.metrics().sessionsPerRun(started.size());
    for (Session s : started) {
      if (s.settled) {
        continue;
      }
      s.settled = true;
      for (String node : s.record.signers()) {
        s.outcomes.putIfAbsent(node, "no answer");
      }
      with.sessions().outcomes(s.record.sessionId(), s.outcomes);
      SessionSettlement.Settled settled =
          with.settlement().settle(claim, wallet, payment, s.record, s.round, s.valid, false);
      if (settled instanceof SessionSettlement.Settled.Signed signed) {
        settleSiblings(s);
        with.metrics().signed(claim.timeInState().plus(Duration.between(handled, Instant.now())));
        return signed.advance();
      }
      if (settled instanceof SessionSettlement.Settled.Undecided undecided) {
        return new StageOutcome.Retry(with.properties().retryDelay(), undecided.why());
      }
    }
    String why =
        started.isEmpty()
            ? ready.size()
                + " of "
                + threshold
                + " signers ready with commitments"
                + (excluded.isEmpty() ? "" : " (excluded: " + excluded + ")")
            : started.size() + " session(s), none with " + threshold + " valid shares";
    log.info("signing run for {} ended unsigned: {}", claim.tx().id(), why);
    return new StageOutcome.Retry(with.properties().retryDelay(), why);
  }
}
