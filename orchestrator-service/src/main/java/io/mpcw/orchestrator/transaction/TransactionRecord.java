package io.mpcw.orchestrator.transaction;

import io.mpcw.types.transaction.TransactionState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One payment as stored; {@code version} guards every state change against lost updates. {@code
 * imported}: the payment came as a PSBT to sign (its bytes are read where they are used).
 */
public record TransactionRecord(
    UUID id,
    UUID walletId,
    String recipient,
    long amountSats,
    BigDecimal feeRateSatVb,
    Optional<String> metadataJson,
    TransactionState state,
    Optional<String> stateReason,
    long version,
    Instant createdAt,
    Instant updatedAt,
    Instant stateEnteredAt,
    int stageAttempts,
    boolean imported) {}
