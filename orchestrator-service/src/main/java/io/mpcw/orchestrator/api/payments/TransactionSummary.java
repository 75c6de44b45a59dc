package io.mpcw.orchestrator.api.payments;

import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.types.transaction.TransactionState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One row of {@code GET /api/v1/transactions}. */
public record TransactionSummary(
    UUID id,
    TransactionState state,
    UUID walletId,
    String recipient,
    long amountSats,
    Instant createdAt,
    Instant updatedAt) {

  static TransactionSummary of(TransactionRecord tx) {
    return new TransactionSummary(
        tx.id(),
        tx.state(),
        tx.walletId(),
        tx.recipient(),
        tx.amountSats(),
        tx.createdAt(),
        tx.updatedAt());
  }

  /** The page: newest first; {@code next_cursor} is absent on the last page. */
  public record Page(List<TransactionSummary> transactions, String nextCursor) {}
}
