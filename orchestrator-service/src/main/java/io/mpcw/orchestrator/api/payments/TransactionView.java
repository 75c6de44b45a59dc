package io.mpcw.orchestrator.api.payments;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.types.transaction.TransactionState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/v1/transactions/{id}}: the payment, its votes, signing, chain and history. */
public record TransactionView(
    UUID id,
    TransactionState state,
    String stateReason,
    UUID walletId,
    String recipient,
    long amountSats,
    BigDecimal feeRateSatVb,
    JsonNode metadata,
    Instant createdAt,
    Instant updatedAt,
    Voting voting,
    Signing signing,
    Chain chain,
    List<History> history) {

  public record Voting(
      int threshold, int totalNodes, int approvals, int rejections, List<VoteView> votes) {}

  public record VoteView(
      String nodeId, String decision, String reason, String digest, String evidence) {}

  public record Signing(List<String> signers, int attempts, List<Attempt> attemptsDetail) {}

  /**
   * One signing attempt: one FROST session ({@code sessionId}); {@code signersDetail} says what
   * each of its signers did ("share ok", "invalid share", "refused: CODE …", "no answer: …", "no
   * answer yet (a sibling session won)"), empty for sessions before ROAST coordination.
   */
  public record Attempt(
      int attempt,
      UUID sessionId,
      List<String> signers,
      java.util.Map<String, String> signersDetail,
      String outcome,
      List<String> culprits,
      String detail,
      Instant startedAt,
      Instant finishedAt) {}

  public record Chain(
      String txid, String rawTx, Long feeSats, long confirmations, String blockHash) {}

  public record History(TransactionState from, TransactionState to, Instant at, String reason) {}
}
