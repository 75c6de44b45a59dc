package io.mpcw.orchestrator.signing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One signing attempt of a payment.
 *
 * @param outcome {@code ok}, {@code unreachable} (a signer did not answer), {@code culprit} (a
 *     signer sent something invalid), {@code refused} (a signer's own checks said no), or {@code
 *     invalid} (every share verified, yet the aggregate signature did not), or {@code superseded}
 *     (a sibling session of the same payment was signed first; this one was aborted)
 * @param culprits the nodes at fault in this attempt (empty when ok)
 */
public record SigningAttempt(
    int attempt,
    UUID sessionId,
    List<String> signers,
    Instant startedAt,
    Instant finishedAt,
    String outcome,
    List<String> culprits,
    Optional<String> detail) {

  public static final String OK = "ok";
  public static final String UNREACHABLE = "unreachable";
  public static final String CULPRIT = "culprit";
  public static final String REFUSED = "refused";
  public static final String INVALID = "invalid";
  public static final String SUPERSEDED = "superseded";
}
