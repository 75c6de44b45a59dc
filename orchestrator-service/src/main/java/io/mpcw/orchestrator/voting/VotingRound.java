package io.mpcw.orchestrator.voting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The vote on one transaction: who is asked, how many approvals decide, until when. */
public record VotingRound(
    UUID txId,
    int threshold,
    int totalNodes,
    int byzantineTolerance,
    List<String> nodes,
    Instant openedAt,
    Instant deadlineAt,
    Optional<String> decision) {}
