package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.Prevout;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.protocol.signing.SignShareRequest;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.transport.Endpoint;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code signing → signed}: one FROST attempt per call, among t signers chosen by score, with fresh
 * nonces (a new session) every attempt. The session is recorded in PostgreSQL before round 2 is
 * asked, and nodes record their shares in etcd before they reply; a session is then settled in etcd
 * as complete (signed from the recorded shares) or aborted, never both ({@link SessionSettlement}).
 * A session left open by an orchestrator that died mid-session is settled first — finished with the
 * shares already released, asking round 2 again only of signers that have not recorded theirs — and
 * a new session starts only once it is aborted: a payment is never signed twice with different
 * nonces. Every share is verified before aggregation (an invalid one names its signer), and every
 * aggregate signature is verified as BIP-340 under the wallet's output key before the witness is
 * written. A signer that fails, times out, refuses or cheats is left out of the next attempt. The
 * orchestrator never holds a key share or a nonce.
 */
@Component
class SigningStage implements StageHandler {
  private static final Logger log = LoggerFactory.getLogger(SigningStage.class);

  private final Wallets wallets;
  private final Payments payments;
  private final SigningAttempts attempts;
  private final SigningSessions sessions;
  private final SessionSettlement settlement;
  private final SeenCommitments seen;
  private final RegistryClient registry;
  private final NodeDirectory directory;
  private final SignerRequests requests;
  private final NodeLatencies latencies;
  private final SigningProperties properties;
  private final SigningMetrics metrics;

  SigningStage(
      Wallets wallets,
      Payments payments,
      SigningAttempts attempts,
      SigningSessions sessions,
      SessionSettlement settlement,
      SeenCommitments seen,
      RegistryClient registry,
      NodeDirectory directory,
      SignerRequests requests,
      NodeLatencies latencies,
      SigningProperties properties,
      SigningMetrics metrics) {
    this.wallets = wallets;
    this.payments = payments;
    this.attempts = attempts;
    this.sessions = sessions;
    this.settlement = settlement;
    this.seen = seen;
    this.registry = registry;
    this.directory = directory;
    this.requests = requests;
    this.latencies = latencies;
    this.properties = properties;
    this.metrics = metrics;
  }

  @Override
  public TransactionState stage() {
    return TransactionState.SIGNING;
  }

  /** Not while a session is open: it may be complete in etcd, and is settled first. */
  @Override
  public boolean mayTimeOut(ClaimedTransaction claim) {
    return sessions.open(claim.tx().id()).isEmpty();
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    Instant handled = Instant.now();
    io.mpcw.orchestrator.transaction.Transaction tx = claim.tx();
    Wallet wallet = wallets.find(tx.walletId()).orElseThrow();
    BuiltPayment payment =
        payments
            .find(tx.id())
            .orElseThrow(() -> new IllegalStateException("signing without a built transaction"));

    // an open session means its orchestrator died (or lost its lease) after round 2 was asked:
    // its shares may be out, so it is finished or aborted before any new session starts
    for (SigningSession open : sessions.open(tx.id())) {
      Optional<StageOutcome> settled = resume(claim, wallet, payment, open, handled);
      if (settled.isPresent()) {
        return settled.get();
      }
    }

    List<SigningAttempt> earlier = attempts.of(tx.id());
    List<ClusterNode> active;
    try {
      active = registry.activeNodes();
    } catch (RegistryUnavailableException e) {
      return new StageOutcome.Retry(Duration.ofSeconds(1), "registry: " + e.getMessage());
    }
    Map<String, NodeDirectory.KnownNode> known = directory.nodes();
    Map<String, Double> latency = latencies.snapshot();
    List<SignerSelection.Candidate> candidates =
        active.stream()
            .filter(n -> wallet.participants().contains(n.nodeId()))
            .filter(n -> known.containsKey(n.nodeId()))
            .filter(n -> known.get(n.nodeId()).endpoint().isPresent())
            .map(n -> SignerSelection.candidate(n.nodeId(), n.cpuLoad(), latency))
            .toList();

    Set<String> cheaters = new HashSet<>();
    Set<String> refusers = new HashSet<>();
    Set<String> silent = new HashSet<>();
    Map<String, String> refusalReasons = new LinkedHashMap<>();
    for (SigningAttempt a : earlier) {
      Set<String> into =
          switch (a.outcome()) {
            case SigningAttempt.CULPRIT -> cheaters;
            case SigningAttempt.REFUSED -> refusers;
            default -> silent;
          };
      into.addAll(a.culprits());
      if (SigningAttempt.REFUSED.equals(a.outcome())) {
        a.culprits().forEach(n -> refusalReasons.put(n, a.detail().orElse("refused")));
      }
    }
    int t = wallet.threshold();
    Set<String> excluded = new HashSet<>(cheaters);
    excluded.addAll(refusers);
    excluded.addAll(silent);
    List<SignerSelection.Candidate> chosen = SignerSelection.choose(candidates, excluded, t);
    if (chosen.size() < t) {
      // nodes that merely did not answer may be back: give them another chance before waiting
      excluded.removeAll(silent);
      chosen = SignerSelection.choose(candidates, excluded, t);
    }
    if (chosen.size() < t) {
      long honestParticipants =
          wallet.participants().stream()
              .filter(n -> !cheaters.contains(n) && !refusers.contains(n))
              .count();
      if (honestParticipants < t && !refusers.isEmpty()) {
        return new StageOutcome.Advance(
            TransactionState.FAILED,
            "signers refused: " + String.join("; ", refusalReasons.values()));
      }
      return new StageOutcome.Retry(
          Duration.ofSeconds(1),
          chosen.size() + " of " + t + " signers available (excluded: " + excluded + ")");
    }
    List<String> signers = chosen.stream().map(SignerSelection.Candidate::nodeId).sorted().toList();
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    signers.forEach(n -> endpoints.put(n, known.get(n).endpoint().get()));
    return attempt(claim, wallet, payment, endpoints, handled);
  }

  /**
   * Settles a session an earlier run left open (its orchestrator died after recording it): reads
   * what the signers recorded in etcd, asks round 2 again — same session, same commitments — of the
   * signers with nothing recorded (one that still holds the session's nonces answers; one that
   * restarted cannot), then completes or aborts it.
   *
   * @return the outcome when the payment got its signature or the session could not be settled;
   *     empty when it ended without a signature, so a fresh attempt may start
   */
  private Optional<StageOutcome> resume(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      Instant handled) {
    metrics.sessionResumed();
    log.info(
        "taking over signing session {} of {} (signers {})",
        session.sessionId(),
        claim.tx().id(),
        session.signers());
    SigningRound round = new SigningRound();
    Set<String> replied = new HashSet<>();
    Optional<List<String>> missing = settlement.toAsk(claim.tx().id(), session);
    if (missing.isEmpty()) {
      return Optional.of(
          new StageOutcome.Retry(properties.retryDelay(), "etcd: signing session not readable"));
    }
    if (!session.txid().equals(payment.unsigned().txid().toDisplayHex())) {
      // cannot happen while a payment in signing keeps its transaction; never sign another one
      missing.get().forEach(n -> round.unreachable(n, "the session signs another transaction"));
    } else if (!missing.get().isEmpty()) {
      Map<String, NodeDirectory.KnownNode> known = directory.nodes();
      Map<String, Endpoint> endpoints = new LinkedHashMap<>();
      for (String node : missing.get()) {
        Optional<Endpoint> endpoint =
            Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::endpoint);
        endpoint.ifPresentOrElse(
            e -> endpoints.put(node, e), () -> round.unreachable(node, "no known address"));
      }
      replied.addAll(askRoundTwo(claim, wallet, payment, session, endpoints, round));
    }
    SessionSettlement.Settled settled =
        settlement.settle(claim, wallet, payment, session, round, replied, true);
    if (settled instanceof SessionSettlement.Settled.Signed s) {
      return Optional.of(signed(claim, s, handled));
    }
    if (settled instanceof SessionSettlement.Settled.Undecided u) {
      return Optional.of(new StageOutcome.Retry(properties.retryDelay(), u.why()));
    }
    return Optional.empty();
  }

  private StageOutcome attempt(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      Map<String, Endpoint> endpoints,
      Instant handled) {
    io.mpcw.orchestrator.transaction.Transaction tx = claim.tx();
    UUID sessionId = UUID.randomUUID();
    Instant started = Instant.now();
    List<String> signers = List.copyOf(endpoints.keySet());
    SigningRound round = new SigningRound();
    Transaction unsigned = payment.unsigned();
    int inputs = unsigned.inputs().size();

    // round 1: fresh commitments from every signer
    byte[] commitRequest =
        ProtocolMessages.encode(
            new SignCommitRequest(sessionId, tx.id(), wallet.id(), inputs, wallet.keyEpoch()));
    Map<String, List<SigningCommitments>> commitments =
        requests.ask(
            endpoints,
            SignCommitRequest.TYPE,
            commitRequest,
            SignCommitResponse.class,
            round,
            (node, reply) -> checkCommitments(wallet, sessionId, node, reply, inputs, round));
    if (!round.clean()) {
      return failedBeforeRoundTwo(claim, sessionId, signers, started, round);
    }

    // durable before the side effect: once round 2 is asked, shares may be released, and whoever
    // runs next must find this session to finish or abort it before starting another
    Map<String, List<String>> wireCommitments = new LinkedHashMap<>();
    commitments.forEach(
        (node, list) ->
            wireCommitments.put(node, list.stream().map(c -> Hex.encode(c.encode())).toList()));
    SigningSession session =
        new SigningSession(
            sessionId, tx.id(), signers, wireCommitments, unsigned.txid().toDisplayHex(), started);
    if (!sessions.opened(session, claim.leaseToken())) {
      // the lease ran out, or another replica opened a session: that one is settled first
      log.info("signing session {} of {} not opened: claim lost", sessionId, tx.id());
      return new StageOutcome.Retry(properties.retryDelay(), "claim lost before round 2");
    }

    // round 2: the whole transaction, what it spends, the approved payment, every commitment
    Set<String> replied = askRoundTwo(claim, wallet, payment, session, endpoints, round);
    roundTwoAsked(tx.id(), sessionId);
    SessionSettlement.Settled settled =
        settlement.settle(claim, wallet, payment, session, round, replied, false);
    if (settled instanceof SessionSettlement.Settled.Signed s) {
      return signed(claim, s, handled);
    }
    if (settled instanceof SessionSettlement.Settled.Failed f) {
      return new StageOutcome.Retry(properties.retryDelay(), f.outcome() + ": " + f.detail());
    }
    return new StageOutcome.Retry(
        properties.retryDelay(), ((SessionSettlement.Settled.Undecided) settled).why());
  }

  /**
   * Runs after round 2 was asked and before the session is settled or anything is recorded as
   * signed: the signers have released their shares, nothing else has happened yet. Orchestrator
   * death at this point is what signing sessions are for; the takeover tests stop an attempt dead
   * here by overriding it.
   */
  void roundTwoAsked(UUID txId, UUID sessionId) {}

  /** Asks round 2 of the given signers; returns those that answered with well-formed shares. */
  private Set<String> askRoundTwo(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      Map<String, Endpoint> endpoints,
      SigningRound round) {
    io.mpcw.orchestrator.transaction.Transaction tx = claim.tx();
    Transaction unsigned = payment.unsigned();
    int inputs = unsigned.inputs().size();
    List<Prevout> prevouts =
        payment.prevouts().stream()
            .map(p -> new Prevout(p.valueSats(), Hex.encode(p.scriptPubKey())))
            .toList();
    byte[] shareRequest =
        ProtocolMessages.encode(
            new SignShareRequest(
                session.sessionId(),
                tx.id(),
                wallet.id(),
                tx.recipient(),
                tx.amountSats(),
                unsigned.toHex(),
                prevouts,
                session.commitments(),
                wallet.keyEpoch()));
    return requests
        .ask(
            endpoints,
            SignShareRequest.TYPE,
            shareRequest,
            SignShareResponse.class,
            round,
            (node, reply) ->
                SessionSettlement.decodeShares(
                    wallet, session.sessionId(), node, reply, inputs, round))
        .keySet();
  }

  private StageOutcome signed(
      ClaimedTransaction claim, SessionSettlement.Settled.Signed signed, Instant handled) {
    metrics.signed(claim.timeInState().plus(Duration.between(handled, Instant.now())));
    return signed.advance();
  }

  private Optional<List<SigningCommitments>> checkCommitments(
      Wallet wallet,
      UUID session,
      String node,
      SignCommitResponse reply,
      int inputs,
      SigningRound round) {
    int identifier = wallet.identifierOf(node);
    if (!reply.sessionId().equals(session)
        || !reply.nodeId().equals(node)
        || reply.identifier() != identifier
        || reply.commitments().size() != inputs) {
      round.culprit(node, "round-1 reply does not match the request");
      return Optional.empty();
    }
    List<SigningCommitments> out = new ArrayList<>();
    for (String hex : reply.commitments()) {
      SigningCommitments c;
      try {
        c = SigningCommitments.decode(Hex.decode(hex));
      } catch (RuntimeException e) {
        round.culprit(node, "unreadable commitment");
        return Optional.empty();
      }
      if (!c.identifier().equals(Identifier.of(identifier))) {
        round.culprit(node, "commitment for another identifier");
        return Optional.empty();
      }
      if (!seen.firstSight(wallet.id(), c.encode(), node, session)) {
        round.culprit(node, "sent a nonce commitment seen before (nonce reuse)");
        return Optional.empty();
      }
      out.add(c);
    }
    return Optional.of(out);
  }

  /** Round 1 failed: round 2 was never asked, so no share of this session exists anywhere. */
  private StageOutcome failedBeforeRoundTwo(
      ClaimedTransaction claim,
      UUID session,
      List<String> signers,
      Instant started,
      SigningRound round) {
    String outcome = round.outcome();
    attempts.record(
        claim.tx().id(),
        new SigningAttempt(
            0,
            session,
            signers,
            started,
            Instant.now(),
            outcome,
            round.faulty(),
            Optional.of(round.detail())));
    metrics.attempt(outcome);
    metrics.culprits(round.culprits.size());
    log.info("signing attempt for {} failed: {}", claim.tx().id(), round.detail());
    return new StageOutcome.Retry(properties.retryDelay(), outcome + ": " + round.detail());
  }
}
