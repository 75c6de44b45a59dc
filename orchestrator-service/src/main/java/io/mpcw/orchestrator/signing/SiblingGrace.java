package io.mpcw.orchestrator.signing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one deviation of {@link RoastRun} from plain ROAST: while a session that can still complete
 * runs within its grace, no sibling starts (with honest signers one session and one round trip, not
 * two).
 *
 * <p>The grace has a ceiling, taken once per run: {@code mpcw.signing.sibling-grace}, or {@code
 * straggler-factor} times the cluster's typical recent signing round trip when that is longer, up
 * to {@code sibling-grace-max}. A fixed ceiling fed back on load: once the machine is busy enough
 * that no signer answers within it, every payment started a sibling, which doubled the signing work
 * and made the machine busier still. Once some signers of the session answered, the grace shrinks
 * to a multiple of the slowest of those answers: the signers still owing one are then stragglers
 * measured against their peers on the same payment, whatever the machine's load.
 */
final class SiblingGrace {
  /** Why a sibling session started: what ended the grace of the sessions before it. */
  enum Reason {
    /** Some signers answered; the others took longer than the straggler rule allows. */
    STRAGGLER("straggler"),
    /** No signer answered within the ceiling. */
    CEILING("ceiling"),
    /** No earlier session can complete any more (a signer failed, refused or cheated). */
    FAILURE("failure");

    private final String wireName;

    Reason(String wireName) {
      this.wireName = wireName;
    }

    String wireName() {
      return wireName;
    }
  }

  private final SigningProperties properties;
  private final Duration ceiling;
  private final Clock clock;

  /**
   * @param typicalSigning the cluster's typical recent signing round trip ({@link
   *     NodeLatencies#typicalSigning()}), empty without history
   */
  SiblingGrace(SigningProperties properties, Optional<Duration> typicalSigning, Clock clock) {
    this.properties = properties;
    this.ceiling = ceiling(properties, typicalSigning);
    this.clock = clock;
  }

  /**
   * {@code sibling-grace}, or {@code straggler-factor} × the typical signing round trip bounded by
   * {@code sibling-grace-max} when that is longer. A zero grace stays zero: plain ROAST.
   */
  static Duration ceiling(SigningProperties properties, Optional<Duration> typicalSigning) {
    Duration fixed = properties.siblingGrace();
    if (fixed.isZero() || typicalSigning.isEmpty()) {
      return fixed;
    }
    long adaptive =
        Math.min(
            properties.siblingGraceMax().toNanos(),
            (long) (typicalSigning.get().toNanos() * properties.stragglerFactor()));
    return adaptive > fixed.toNanos() ? Duration.ofNanos(adaptive) : fixed;
  }

  /** The ceiling of every session of this run. */
  Duration ceiling() {
    return ceiling;
  }

  /**
   * When the grace that holds siblings back ends, or empty when none does.
   *
   * @param coldPools no session started yet and commitments are still being fetched: every
   *     candidate gets {@code sibling-grace} to answer from {@code begun}, so the first session is
   *     the best-scored set, not the first to answer. This wait decides which set signs first, not
   *     how many sessions sign, so it stays fixed: under load a longer one would only delay the
   *     payment.
   */
  Optional<Instant> ends(List<RoastSession> started, boolean coldPools, Instant begun) {
    Instant now = clock.instant();
    if (started.isEmpty() && coldPools) {
      Instant end = begun.plus(properties.siblingGrace());
      return now.isBefore(end) ? Optional.of(end) : Optional.empty();
    }
    return started.stream()
        .filter(RoastSession::canComplete)
        .map(this::endOf)
        .filter(now::isBefore)
        .min(Instant::compareTo);
  }

  /** The grace of one session. */
  Duration of(RoastSession s) {
    if (s.valid.isEmpty()) {
      return ceiling;
    }
    long straggler =
        Math.max(
            properties.stragglerFloor().toNanos(),
            (long) (s.slowestValid().toNanos() * properties.stragglerFactor()));
    return straggler < ceiling.toNanos() ? Duration.ofNanos(straggler) : ceiling;
  }

  /**
   * Why a sibling may start now (call when {@link #ends} is empty): what ended the grace that ended
   * last among the sessions that can still complete, else that none can.
   */
  Reason why(List<RoastSession> started) {
    return started.stream()
        .filter(RoastSession::canComplete)
        .max(Comparator.comparing(this::endOf))
        .map(s -> s.valid.isEmpty() ? Reason.CEILING : Reason.STRAGGLER)
        .orElse(Reason.FAILURE);
  }

  /**
   * The session's start plus the ceiling, or, once some signers answered, when the signers still
   * owing an answer become stragglers ({@link RoastSession#stragglersFrom}) if that is sooner: a
   * request that waited behind its node's exchange in flight (the orchestrator's lanes) is judged
   * from when it left, given the straggler grace once per session its exchange carried, and not at
   * all while it still waits.
   */
  private Instant endOf(RoastSession s) {
    Instant cap = s.record.startedAt().plus(ceiling);
    if (s.valid.isEmpty()) {
      return cap;
    }
    Optional<Instant> straggler = s.stragglersFrom(of(s));
    return straggler.isPresent() && straggler.get().isBefore(cap) ? straggler.get() : cap;
  }
}
