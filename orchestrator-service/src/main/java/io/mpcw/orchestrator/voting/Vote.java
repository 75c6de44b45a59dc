package io.mpcw.orchestrator.voting;

import java.time.Instant;
import java.util.Optional;

/** One node's vote as mirrored from etcd, with any Byzantine evidence found against it. */
public record Vote(
    String nodeId,
    String decision,
    Optional<String> reason,
    String digest,
    Instant receivedAt,
    Optional<String> evidence) {}
