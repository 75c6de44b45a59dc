package io.mpcw.orchestrator.signing;

import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.PooledCommitment;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPooledShareResponse;
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
 * {@code signing → signed}: ROAST-coordinated FROST ({@link RoastRun}) on commitments the signers
 * shared ahead of time ({@link CommitmentPools}), so that with honest signers a session is one
 * round trip, and a silent, slow or cheating signer never makes a payment wait for a timeout. Each
 * session is recorded in PostgreSQL before its round 2 is asked, and nodes record their shares in
 * etcd before they reply; a session is then settled in etcd as complete (signed from the recorded
 * shares) or aborted, never both ({@link SessionSettlement}). Sessions left open by an orchestrator
 * that died mid-run are settled first — finished with the shares already released, asking round 2
 * again (same commitments, which a node uses at most once) only of signers that have not recorded
 * theirs — and new sessions start only once every open one is settled. Every session of a payment
 * signs the same unsigned transaction, which each node binds to the payment before it releases a
 * share, so several sessions never give two different signed transactions. Every aggregate
 * signature is verified as BIP-340 under the wallet's output key before the witness is written. The
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
  private final CommitmentPools pools;
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
      CommitmentPools pools,
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
    this.pools = pools;
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
    TransactionRecord tx = claim.tx();
    // handed over by the move that built it, or read back (a claim from the database)
    Optional<Payments.JustBuilt> justBuilt = claim.handedOver(Payments.JustBuilt.class);
    Wallet wallet =
        justBuilt
            .map(Payments.JustBuilt::wallet)
            .orElseGet(() -> wallets.find(tx.walletId()).orElseThrow());
    BuiltPayment payment =
        justBuilt
            .map(Payments.JustBuilt::payment)
            .or(() -> payments.find(tx.id()))
            .orElseThrow(() -> new IllegalStateException("signing without a built transaction"));

    // the first attempt in signing finds neither sessions nor attempts: only an attempt of this
    // stage writes them, a payment enters signing once, and any later attempt claims anew
    boolean first = tx.stageAttempts() <= 1;
    // open sessions mean their orchestrator died (or lost its lease) after round 2 was asked:
    // their shares may be out, so each is finished or aborted before any new session starts
    List<SigningSession> open = first ? List.of() : sessions.open(tx.id());
    for (int i = 0; i < open.size(); i++) {
      SessionSettlement.Settled settled = resume(claim, wallet, payment, open.get(i));
      if (settled instanceof SessionSettlement.Settled.Signed s) {
        for (SigningSession sibling : open.subList(i + 1, open.size())) {
          settlement.settleSibling(tx.id(), sibling, new SigningRound());
        }
        return signed(claim, s, handled);
      }
      if (settled instanceof SessionSettlement.Settled.Undecided u) {
        return new StageOutcome.Retry(properties.retryDelay(), u.why());
      }
    }

    List<SigningAttempt> earlier = first ? List.of() : attempts.of(tx.id());
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
            case CULPRIT -> cheaters;
            case REFUSED -> refusers;
            default -> silent;
          };
      into.addAll(a.culprits());
      if (a.outcome() == SigningOutcome.REFUSED) {
        a.culprits().forEach(n -> refusalReasons.put(n, a.detail().orElse("refused")));
      }
    }
    int t = wallet.threshold();
    Set<String> excluded = new HashSet<>(cheaters);
    excluded.addAll(refusers);
    excluded.addAll(silent);
    List<SignerSelection.Candidate> usable =
        SignerSelection.choose(candidates, excluded, candidates.size());
    if (usable.size() < t) {
      // nodes that merely did not answer may be back: give them another chance before waiting
      excluded.removeAll(silent);
      usable = SignerSelection.choose(candidates, excluded, candidates.size());
    }
    if (usable.size() < t) {
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
          usable.size() + " of " + t + " signers available (excluded: " + excluded + ")");
    }
    Map<String, SignerSelection.Candidate> byNode = new LinkedHashMap<>();
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    for (SignerSelection.Candidate c : usable) {
      byNode.put(c.nodeId(), c);
      endpoints.put(c.nodeId(), known.get(c.nodeId()).endpoint().get());
    }
    return new RoastRun(
            claim,
            wallet,
            payment,
            byNode,
            endpoints,
            new RoastCollaborators(
                pools,
                requests,
                sessions,
                settlement,
                properties,
                metrics,
                latencies,
                this::roundTwoAnswered))
        .run(handled);
  }

  /**
   * Settles a session an earlier run left open (its orchestrator died after recording it): reads
   * what the signers recorded in etcd, asks round 2 again — same session, same commitment ids — of
   * the signers with nothing recorded (one that still holds those nonces answers; one that used
   * them or restarted refuses), then completes or aborts it.
   *
   * @return {@code Signed} when the payment got its signature, {@code Undecided} when the session
   *     could not be settled, {@code Failed} when it ended without a signature
   */
  private SessionSettlement.Settled resume(
      ClaimedTransaction claim, Wallet wallet, BuiltPayment payment, SigningSession session) {
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
      return new SessionSettlement.Settled.Undecided("etcd: signing session not readable");
    }
    if (!session.txid().equals(payment.unsigned().txid().toDisplayHex())) {
      // cannot happen while a payment in signing keeps its transaction; never sign another one
      missing.get().forEach(n -> round.unreachable(n, "the session signs another transaction"));
    } else if (session.commitmentIds().isEmpty()) {
      // opened by an orchestrator before pre-shared commitments: settled as etcd holds it
      missing.get().forEach(n -> round.unreachable(n, "no shares recorded"));
    } else if (!missing.get().isEmpty()) {
      Map<String, NodeDirectory.KnownNode> known = directory.nodes();
      Map<String, Endpoint> endpoints = new LinkedHashMap<>();
      for (String node : missing.get()) {
        Optional<Endpoint> endpoint =
            Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::endpoint);
        endpoint.ifPresentOrElse(
            e -> endpoints.put(node, e), () -> round.unreachable(node, "no known address"));
      }
      replied.addAll(askRoundTwoAgain(claim, wallet, payment, session, endpoints, round));
    }
    return settlement.settle(claim, wallet, payment, session, round, replied, true, Map.of());
  }

  /**
   * Runs once every signer of a session answered its round 2 (or failed to), before the session is
   * settled or anything is recorded as signed: the signers released their shares, nothing else has
   * happened yet. Orchestrator death at this point is what signing sessions are for; the takeover
   * tests stop a run dead here by overriding it.
   */
  void roundTwoAnswered(UUID txId, UUID sessionId) {}

  /** Asks round 2 of a recorded session again; returns those that answered with shares. */
  private Set<String> askRoundTwoAgain(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      Map<String, Endpoint> endpoints,
      SigningRound round) {
    int inputs = payment.unsigned().inputs().size();
    Map<String, List<PooledCommitment>> commitments = new LinkedHashMap<>();
    for (String node : session.signers()) {
      List<String> hex = session.commitments().get(node);
      List<UUID> ids = session.commitmentIds().get(node);
      List<PooledCommitment> list = new ArrayList<>();
      for (int i = 0; i < hex.size(); i++) {
        list.add(new PooledCommitment(ids.get(i), hex.get(i)));
      }
      commitments.put(node, list);
    }
    byte[] request =
        ProtocolMessages.encode(RoundTwo.request(claim, wallet, payment, session, commitments));
    return requests
        .ask(
            endpoints,
            SignPooledShareRequest.TYPE,
            request,
            SignPooledShareResponse.class,
            round,
            (node, reply) -> {
              Optional<List<io.mpcw.crypto.frost.SignatureShare>> shares =
                  RecordedShares.decodeShares(
                      wallet, session.sessionId(), node, reply.asShareResponse(), inputs, round);
              shares.ifPresent(s -> pools.accept(wallet, node, reply.fresh()));
              return shares;
            })
        .keySet();
  }

  private StageOutcome signed(
      ClaimedTransaction claim, SessionSettlement.Settled.Signed signed, Instant handled) {
    metrics.signed(claim.timeInState().plus(Duration.between(handled, Instant.now())));
    return signed.advance();
  }
}
