package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.signing.SigningAttempts;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.transaction.TransactionRepository;
import io.mpcw.orchestrator.voting.Vote;
import io.mpcw.orchestrator.voting.VotingRound;
import io.mpcw.orchestrator.voting.VotingRounds;
import io.mpcw.types.transaction.TransactionState;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Assembles the full view of one transaction from its tables. It sits in {@code api}, above the
 * stages, because it reads what every stage stored; no stage may read it back.
 */
@Component
class TransactionViews {
  private final TransactionRepository transactions;
  private final VotingRounds rounds;
  private final ObjectMapper json;
  private final Payments payments;
  private final SigningAttempts attempts;

  TransactionViews(
      TransactionRepository transactions,
      VotingRounds rounds,
      ObjectMapper json,
      Payments payments,
      SigningAttempts attempts) {
    this.transactions = transactions;
    this.rounds = rounds;
    this.json = json;
    this.payments = payments;
    this.attempts = attempts;
  }

  /**
   * The view of a payment this request has just stored: pending, with only its first history row,
   * no round, attempt or transaction yet; or, when it passed through pending in the same database
   * transaction, in voting with the round it opened, no vote yet, and the move's history row. Built
   * from what the request wrote; the same as {@link #of} would read back at that instant, without
   * five queries for tables that hold little or nothing of it. A payment moved on without its round
   * at hand is read back.
   */
  TransactionView created(TransactionRecord tx, Optional<VotingRound> round) {
    TransactionView.History submitted =
        new TransactionView.History(
            null, TransactionState.PENDING, tx.createdAt(), TransactionRepository.CREATION_REASON);
    TransactionView.Signing noSigning = new TransactionView.Signing(List.of(), 0, List.of());
    if (tx.state() == TransactionState.PENDING && tx.version() == 0 && round.isEmpty()) {
      return view(tx, null, noSigning, chain(Optional.empty()), List.of(submitted));
    }
    if (tx.state() != TransactionState.PENDING && round.isEmpty()) {
      // moved on by work this view does not know the writes of: read back
      return of(tx);
    }
    if (tx.state() == TransactionState.VOTING && tx.version() == 1 && round.isPresent()) {
      return view(
          tx,
          new TransactionView.Voting(
              round.get().threshold(), round.get().totalNodes(), 0, 0, List.of()),
          noSigning,
          chain(Optional.empty()),
          List.of(
              submitted,
              new TransactionView.History(
                  TransactionState.PENDING,
                  TransactionState.VOTING,
                  tx.stateEnteredAt(),
                  tx.stateReason().orElse(null))));
    }
    throw new IllegalArgumentException("not a payment just stored: " + tx.id());
  }

  TransactionView of(TransactionRecord tx) {
    Optional<BuiltPayment> built = payments.find(tx.id());
    TransactionView.Voting voting =
        rounds
            .find(tx.id())
            .map(
                round -> {
                  List<Vote> votes = rounds.votes(tx.id());
                  return new TransactionView.Voting(
                      round.threshold(),
                      round.totalNodes(),
                      count(votes, "approve"),
                      count(votes, "reject"),
                      votes.stream()
                          .map(
                              v ->
                                  new TransactionView.VoteView(
                                      v.nodeId(),
                                      v.decision(),
                                      v.reason().orElse(null),
                                      v.digest(),
                                      v.evidence().orElse(null)))
                          .toList());
                })
            .orElse(null);
    List<TransactionView.History> history =
        transactions.history(tx.id()).stream()
            .map(
                h ->
                    new TransactionView.History(
                        h.from().orElse(null), h.to(), h.at(), h.reason().orElse(null)))
            .toList();
    return view(tx, voting, signing(tx, built), chain(built), history);
  }

  private TransactionView view(
      TransactionRecord tx,
      TransactionView.Voting voting,
      TransactionView.Signing signing,
      TransactionView.Chain chain,
      List<TransactionView.History> history) {
    return new TransactionView(
        tx.id(),
        tx.state(),
        tx.stateReason().orElse(null),
        tx.walletId(),
        tx.recipient(),
        tx.amountSats(),
        tx.feeRateSatVb(),
        tx.metadataJson().map(this::parse).orElse(null),
        tx.createdAt(),
        tx.updatedAt(),
        voting,
        signing,
        chain,
        history);
  }

  private TransactionView.Signing signing(TransactionRecord tx, Optional<BuiltPayment> built) {
    java.util.Map<UUID, java.util.Map<String, String>> outcomes = attempts.signerOutcomes(tx.id());
    List<TransactionView.Attempt> detail =
        attempts.of(tx.id()).stream()
            .map(
                a ->
                    new TransactionView.Attempt(
                        a.attempt(),
                        a.sessionId(),
                        a.signers(),
                        outcomes.getOrDefault(a.sessionId(), java.util.Map.of()),
                        a.outcome().wireName(),
                        a.culprits(),
                        a.detail().orElse(null),
                        a.startedAt(),
                        a.finishedAt()))
            .toList();
    List<String> signers = built.map(BuiltPayment::signers).orElse(List.of());
    return new TransactionView.Signing(signers, detail.size(), detail);
  }

  private static TransactionView.Chain chain(Optional<BuiltPayment> built) {
    return built
        .map(
            p ->
                new TransactionView.Chain(
                    p.txid().orElse(null),
                    p.rawTx().map(Hex::encode).orElse(null),
                    p.feeSats(),
                    p.confirmations(),
                    p.blockHash().orElse(null)))
        .orElse(new TransactionView.Chain(null, null, null, 0, null));
  }

  private static int count(List<Vote> votes, String decision) {
    return (int) votes.stream().filter(v -> v.decision().equals(decision)).count();
  }

  private JsonNode parse(String stored) {
    try {
      return json.readTree(stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored metadata is not JSON", e);
    }
  }
}
