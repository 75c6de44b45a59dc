package io.mpcw.orchestrator.signing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One signing attempt of a payment.
 *
 * @param outcome how it ended (see {@link SigningOutcome})
 * @param culprits the nodes at fault in this attempt (empty when ok)
 */
public record SigningAttempt(
    int attempt,
    UUID sessionId,
    List<String> signers,
    Instant startedAt,
    Instant finishedAt,
    SigningOutcome outcome,
    List<String> culprits,
    Optional<String> detail) {}
