package io.mpcw.orchestrator.transaction;

import io.mpcw.types.transaction.TransactionState;
import java.time.Instant;
import java.util.Optional;

/** One row of a transaction's append-only history. */
public record HistoryEntry(
    Optional<TransactionState> from,
    TransactionState to,
    Instant at,
    Optional<String> reason,
    String actor) {}
