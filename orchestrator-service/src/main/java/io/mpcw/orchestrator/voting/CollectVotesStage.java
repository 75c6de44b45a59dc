package io.mpcw.orchestrator.voting;

import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.config.VotingProperties;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.signing.NodeLatencies;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.transport.TransportClient;
import io.mpcw.types.transaction.TransactionState;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.Tally;
import io.mpcw.votes.VoteLedgerException;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteSnapshot;
import io.mpcw.votes.VoteTally;
import io.mpcw.votes.VotingRules;
import jakarta.annotation.PreDestroy;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code voting → approved | rejected | aborted_byzantine}: asks every node of the round that has
 * not answered yet (concurrently, over QUIC), collects the answers, then decides from etcd's signed
 * vote records of the round's nodes, read in one etcd transaction. It waits only until the answers
 * settle the outcome (t approvals, or too many rejections for t), not for the slowest node; a later
 * answer is still mirrored, and a later vote is refused by etcd once the decision exists. The wait
 * holds no pipeline worker ({@link #awaitFirst}): the replies complete it, and the engine then
 * counts ({@link #handle}) on a worker. The decision is first written to etcd's decision key (first
 * writer wins, and later votes are refused there), and only while every record it was counted from
 * is unchanged; the state change then applies the decision that stands, and writes the answers
 * counted to the vote mirror in the same database transaction ({@link CollectedAnswers}). The
 * asking is {@link VoteAsking}'s.
 */
@Component
class CollectVotesStage implements StageHandler {
  private static final Logger log = LoggerFactory.getLogger(CollectVotesStage.class);
  private final VotingRounds rounds;
  private final VoteMirror mirror;
  private final NodeDirectory directory;
  private final EtcdVoteLedger ledger;
  private final VotingProperties properties;
  private final VotingMetrics metrics;

  /** What {@link #awaitFirst} found and collects, for the {@link #handle} that follows it. */
  private record Asked(VotingRound round, CollectedAnswers answers) {}

  private final Map<UUID, Asked> asked = new ConcurrentHashMap<>();
  private final VoteAsking asking;

  CollectVotesStage(
      VotingRounds rounds,
      VoteMirror mirror,
      NodeDirectory directory,
      TransportClient transport,
      EtcdVoteLedger ledger,
      VotingProperties properties,
      VotingMetrics metrics,
      NodeLatencies latencies) {
    this.rounds = rounds;
    this.mirror = mirror;
    this.directory = directory;
    this.ledger = ledger;
    this.properties = properties;
    this.metrics = metrics;
    this.asking = new VoteAsking(mirror, transport, properties, metrics, latencies);
  }

  @Override
  public TransactionState stage() {
    return TransactionState.VOTING;
  }

  /**
   * Asks every node of the round that has not answered yet and completes once their answers settle
   * the vote (or every request has ended), plus the straggler grace: no worker waits meanwhile.
   */
  @Override
  public Optional<CompletionStage<?>> awaitFirst(ClaimedTransaction claim) {
    TransactionRecord tx = claim.tx();
    // handed over by the move that opened it, or read back (a claim from the database)
    Optional<VotingRound> found =
        claim.handedOver(VotingRound.class).or(() -> rounds.find(tx.id()));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    VotingRound round = found.get();
    Map<String, NodeDirectory.KnownNode> nodes;
    try {
      nodes = directory.nodes();
    } catch (RegistryUnavailableException e) {
      return Optional.empty();
    }
    // the first attempt in voting finds the mirror empty: only an attempt of this stage writes it
    CollectedAnswers received =
        new CollectedAnswers(tx.stageAttempts() <= 1 ? Map.of() : mirror.answers(tx.id()));
    asked.put(tx.id(), new Asked(round, received));
    return Optional.of(asking.askMissing(round, nodes, request(tx), received));
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    TransactionRecord tx = claim.tx();
    Asked earlier = asked.remove(tx.id());
    VotingRound round =
        earlier != null
            ? earlier.round()
            : rounds
                .find(tx.id())
                .orElseThrow(() -> new IllegalStateException("voting without a round"));
    // from here the answers in are this count's to write; a later one is written as it arrives
    CollectedAnswers.Counted counted =
        earlier != null
            ? earlier.answers().count()
            : CollectedAnswers.Counted.mirrored(mirror.answers(tx.id()));
    MirrorWrites writes = new MirrorWrites(tx.id(), counted.toWrite());
    try {
      StageOutcome outcome;
      try {
        outcome = count(tx, round, directory.nodes(), counted.answers(), writes);
      } catch (RegistryUnavailableException e) {
        outcome = new StageOutcome.Retry(properties.retryInterval(), e.getMessage());
      }
      if (outcome instanceof StageOutcome.Advance advance) {
        // the mirror rows commit with the decision (and are gone with it if the move fails: the
        // next attempt asks those nodes again, and they answer with the votes etcd holds)
        return advance.withEarlierEffect(writes);
      }
      writes.run();
      return outcome;
    } catch (RuntimeException e) {
      try {
        writes.run();
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  /**
   * Ends the vote as {@code failed} in etcd before the payment fails: the decision key fences every
   * later vote, so no quorum can form in etcd for a payment the database calls failed, and a
   * decision another replica wrote before it died (and never applied) is applied instead. While
   * etcd cannot be reached the payment stays in voting, the timeout tried again at each claim: its
   * outcome in the database is always the decision that stands in etcd.
   */
  @Override
  public StageOutcome timedOut(ClaimedTransaction claim, String reason) {
    UUID txId = claim.tx().id();
    asked.remove(txId);
    String standing;
    try {
      standing = ledger.decide(txId, TransactionState.FAILED.wireName());
    } catch (VoteLedgerException e) {
      return new StageOutcome.Retry(
          properties.retryInterval(), reason + "; etcd: " + e.getMessage());
    }
    TransactionState to = stateOf(standing);
    String why = to == TransactionState.FAILED ? reason : decidedEarlier(standing);
    metrics.timedOut(to == TransactionState.FAILED ? "failed" : "decided_earlier");
    return new StageOutcome.Advance(to, why)
        .setting(row -> VotingRounds.decided(row, standing, why));
  }

  /** Counts the round from etcd's records and decides it if it can. */
  private StageOutcome count(
      TransactionRecord tx,
      VotingRound round,
      Map<String, NodeDirectory.KnownNode> nodes,
      Map<String, io.mpcw.votes.VoteRecord> answers,
      MirrorWrites writes) {
    VoteRequest request = request(tx);
    VoteSnapshot snapshot;
    try {
      snapshot = ledger.snapshot(tx.id(), round.nodes());
    } catch (VoteLedgerException e) {
      return new StageOutcome.Retry(properties.retryInterval(), "etcd: " + e.getMessage());
    }
    Map<String, X509Certificate> certificates = new HashMap<>();
    nodes.values().forEach(n -> n.certificate().ifPresent(c -> certificates.put(n.nodeId(), c)));
    VotingRules rules =
        new VotingRules(round.threshold(), round.totalNodes(), new HashSet<>(round.nodes()));
    Tally tally =
        VoteTally.tally(
            rules,
            request.payload(),
            snapshot,
            answers,
            snapshot.malformed(),
            new NodeCertificateVerifier(certificates));
    snapshot.votes().stream()
        .filter(v -> !answers.containsKey(v.nodeId()) && round.nodes().contains(v.nodeId()))
        .forEach(writes.recordedOnly::add);
    writes.evidence.putAll(tally.evidence());
    if (!tally.isDecided()) {
      return new StageOutcome.Retry(properties.retryInterval(), tally.reason());
    }
    TransactionState decided = stateOf(tally.outcome());
    Optional<String> decision;
    try {
      decision = ledger.decide(tx.id(), decided.wireName(), snapshot);
    } catch (VoteLedgerException e) {
      return new StageOutcome.Retry(properties.retryInterval(), "etcd: " + e.getMessage());
    }
    if (decision.isEmpty()) {
      // a node rewrote or deleted a vote that was counted: count again from what etcd holds now
      return new StageOutcome.Retry(
          properties.retryInterval(), "vote records changed since they were counted");
    }
    String standing = decision.get();
    TransactionState to = stateOf(standing);
    String reason = to == decided ? tally.reason() : decidedEarlier(standing);
    tally
        .evidence()
        .values()
        .forEach(list -> list.forEach(e -> metrics.evidence(e.kind().name().toLowerCase())));
    return new StageOutcome.Advance(to, reason)
        .setting(row -> VotingRounds.decided(row, standing, reason));
  }

  /**
   * What one count writes to the mirror: the answers it took, what etcd holds of nodes that did not
   * answer, and the evidence against nodes. Written once, by whichever way the count ends.
   */
  private final class MirrorWrites implements Runnable {
    private final UUID txId;
    private final List<io.mpcw.votes.VoteRecord> answered;
    final List<io.mpcw.votes.VoteRecord> recordedOnly = new ArrayList<>();
    final Map<String, List<io.mpcw.votes.Evidence>> evidence = new HashMap<>();
    private boolean written;

    MirrorWrites(UUID txId, List<io.mpcw.votes.VoteRecord> answered) {
      this.txId = txId;
      this.answered = answered;
    }

    @Override
    public void run() {
      if (written) {
        return;
      }
      written = true;
      mirror.answered(answered);
      mirror.recordedOnly(recordedOnly);
      mirror.evidence(txId, evidence);
    }
  }

  private static VoteRequest request(TransactionRecord tx) {
    return new VoteRequest(
        tx.id(), tx.walletId(), tx.recipient(), tx.amountSats(), tx.metadataJson().orElse(null));
  }

  @PreDestroy
  void stop() {
    asking.stop();
  }

  /** The state a decision standing in etcd moves the payment to. */
  private static TransactionState stateOf(String standing) {
    return TransactionState.fromWireName(standing)
        .orElseThrow(() -> new IllegalStateException("unknown decision in etcd: " + standing));
  }

  /** Why a payment takes a decision other than this count's own: another one stood first. */
  private static String decidedEarlier(String standing) {
    return "decided earlier: " + standing;
  }

  private static TransactionState stateOf(Tally.Outcome outcome) {
    return switch (outcome) {
      case APPROVED -> TransactionState.APPROVED;
      case REJECTED -> TransactionState.REJECTED;
      case ABORTED_BYZANTINE -> TransactionState.ABORTED_BYZANTINE;
      case UNDECIDED -> throw new IllegalArgumentException("undecided");
    };
  }
}
