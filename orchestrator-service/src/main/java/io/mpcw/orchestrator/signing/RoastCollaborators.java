package io.mpcw.orchestrator.signing;

import java.util.UUID;

/** What a {@link RoastRun} works with; one set per signing stage. */
record RoastCollaborators(
    CommitmentPools pools,
    SignerRequests requests,
    SigningSessions sessions,
    SessionSettlement settlement,
    SigningProperties properties,
    SigningMetrics metrics,
    NodeLatencies latencies,
    RoundTwoAnswered hook) {

  /**
   * Called once every signer of a session answered its round 2 or failed to, before the session is
   * settled (the takeover tests stop a replica there).
   */
  interface RoundTwoAnswered {
    void answered(UUID txId, UUID sessionId);
  }
}
