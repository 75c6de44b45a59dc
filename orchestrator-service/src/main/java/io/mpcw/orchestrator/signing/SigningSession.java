package io.mpcw.orchestrator.signing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A FROST session as recorded before its round 2: enough to ask round 2 again, of the same signers
 * with the same commitments, after the orchestrator that opened it died.
 *
 * @param commitments every signer's round-1 commitments (hex), one per input, by node id
 * @param commitmentIds the one-time ids of those commitments (pre-shared), same shape
 * @param txid the unsigned transaction the session signs
 */
record SigningSession(
    UUID sessionId,
    UUID txId,
    List<String> signers,
    Map<String, List<String>> commitments,
    Map<String, List<UUID>> commitmentIds,
    String txid,
    Instant startedAt) {

  SigningSession {
    signers = List.copyOf(signers);
    commitments = Map.copyOf(commitments);
    commitmentIds = Map.copyOf(commitmentIds);
  }
}
