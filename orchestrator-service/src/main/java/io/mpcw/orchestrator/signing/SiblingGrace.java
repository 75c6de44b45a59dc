package io.mpcw.orchestrator.signing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one deviation of {@link RoastRun} from plain ROAST: while a session that can still complete
 * runs within its grace, no sibling starts (with honest signers one session and one round trip, not
 * two). The grace is {@code mpcw.signing.sibling-grace} at most, and shrinks once some signers of
 * the session answered to a multiple of the slowest of those answers: the signers still owing one
 * are then stragglers measured against their peers on the same payment, whatever the machine's
 * load.
 */
final class SiblingGrace {
  private final SigningProperties properties;

  SiblingGrace(SigningProperties properties) {
    this.properties = properties;
  }

  /**
   * When the grace that holds siblings back ends, or empty when none does.
   *
   * @param coldPools no session started yet and commitments are still being fetched: every
   *     candidate gets the grace to answer from {@code begun}, so the first session is the
   *     best-scored set, not the first to answer
   */
  Optional<Instant> ends(List<RoastSession> started, boolean coldPools, Instant begun) {
    Instant now = Instant.now();
    if (started.isEmpty() && coldPools) {
      Instant end = begun.plus(properties.siblingGrace());
      return now.isBefore(end) ? Optional.of(end) : Optional.empty();
    }
    return started.stream()
        .filter(RoastSession::canComplete)
        .map(s -> s.record.startedAt().plus(of(s)))
        .filter(now::isBefore)
        .min(Instant::compareTo);
  }

  /** The grace of one session. */
  Duration of(RoastSession s) {
    Duration ceiling = properties.siblingGrace();
    if (s.valid.isEmpty()) {
      return ceiling;
    }
    long straggler =
        Math.max(
            properties.stragglerFloor().toNanos(),
            (long) (s.slowestValid().toNanos() * properties.stragglerFactor()));
    return straggler < ceiling.toNanos() ? Duration.ofNanos(straggler) : ceiling;
  }
}
