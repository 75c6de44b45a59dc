package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The grace before a ROAST sibling session, on explicit latencies and a fixed clock. */
class SiblingGraceTest {
  private static final long MS = 1_000_000;
  private static final Instant START = Instant.parse("2026-12-05T08:00:00Z");
  private static final List<String> NODES =
      List.of("node-1", "node-2", "node-3", "node-4", "node-5");

  private final AtomicLong nanos = new AtomicLong();
  private final NodeLatencies latencies = new NodeLatencies(Duration.ofSeconds(30), nanos::get);

  @Test
  void aSessionWithoutAnswersIsNotJoinedByASiblingAt300msWhileRecentSigningTakesNearlyASecond() {
    NODES.forEach(n -> latencies.observeSigning(n, 900 * MS));
    RoastSession session = session();

    SiblingGrace grace = grace(defaults(), at(300));

    assertThat(grace.of(session)).isEqualTo(Duration.ofMillis(2_700));
    assertThat(grace.ends(List.of(session), false, START))
        .contains(START.plus(Duration.ofMillis(2_700)));
  }

  @Test
  void theAdaptiveCeilingIsBoundedBySiblingGraceMaxSoAWedgedClusterStillGetsASibling() {
    NODES.forEach(n -> latencies.observeSigning(n, 5_000 * MS));
    RoastSession session = session();

    assertThat(grace(defaults(), at(2_999)).ends(List.of(session), false, START))
        .contains(START.plus(Duration.ofSeconds(3)));
    SiblingGrace over = grace(defaults(), at(3_000));
    assertThat(over.ends(List.of(session), false, START)).isEmpty();
    assertThat(over.why(List.of(session))).isEqualTo(SiblingGrace.Reason.CEILING);
  }

  @Test
  void withoutAnySigningHistoryTheCeilingIsTheConfiguredSiblingGrace() {
    RoastSession session = session();

    SiblingGrace grace = grace(defaults(), at(300));

    assertThat(grace.of(session)).isEqualTo(Duration.ofMillis(300));
    assertThat(grace.ends(List.of(session), false, START)).isEmpty();
    assertThat(grace.why(List.of(session))).isEqualTo(SiblingGrace.Reason.CEILING);
  }

  @Test
  void aClusterFasterThanTheSiblingGraceKeepsTheConfiguredGrace() {
    NODES.forEach(n -> latencies.observeSigning(n, 40 * MS));

    assertThat(grace(defaults(), at(0)).of(session())).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void withoutRecentSigningSamplesTheGeneralRoundTripsSetTheCeiling() {
    NODES.forEach(n -> latencies.observe(n, 200 * MS));

    assertThat(grace(defaults(), at(0)).of(session())).isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void oneSlowSignerDoesNotRaiseTheCeilingOfEveryPayment() {
    NODES.forEach(n -> latencies.observeSigning(n, 20 * MS));
    latencies.observeSigning("node-5", 5_000 * MS);
    latencies.observeSigning("node-4", 5_000 * MS);

    assertThat(grace(defaults(), at(0)).of(session())).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aZeroSiblingGraceStaysPlainRoastWhateverTheLoad() {
    NODES.forEach(n -> latencies.observeSigning(n, 1_000 * MS));

    assertThat(grace(properties(Duration.ZERO), at(0)).of(session())).isEqualTo(Duration.ZERO);
  }

  @Test
  void onceSomeSignersAnsweredTheOthersGetTheStragglerFactorTimesTheSlowestAnswer() {
    RoastSession session = session();
    session.validShare("node-1", START.plusMillis(40));
    session.validShare("node-2", START.plusMillis(50));
    session.outcomes.put("node-1", "share ok");
    session.outcomes.put("node-2", "share ok");

    SiblingGrace loaded = withHistory(1_000);
    assertThat(loaded.of(session)).isEqualTo(Duration.ofMillis(150));
    assertThat(grace(defaults(), at(0)).of(session)).isEqualTo(Duration.ofMillis(150));
    SiblingGrace over = grace(defaults(), at(150));
    assertThat(over.ends(List.of(session), false, START)).isEmpty();
    assertThat(over.why(List.of(session))).isEqualTo(SiblingGrace.Reason.STRAGGLER);
  }

  @Test
  void aSignerWhoseRequestStillWaitsToLeaveIsNoStragglerAndIsJudgedFromWhenItLeft() {
    RoastSession session = node3AskedAfterNodes1And2Answered();

    // 150 ms of straggler grace after the start are over, but node-3 was not asked yet
    assertThat(graceAt(200).ends(List.of(session), false, START))
        .contains(START.plus(graceAt(200).ceiling()));

    session.departed("node-3", START.plusMillis(180), 1);

    assertThat(graceAt(200).ends(List.of(session), false, START))
        .contains(START.plusMillis(180 + 150));
    assertThat(graceAt(330).ends(List.of(session), false, START)).isEmpty();
    assertThat(graceAt(330).why(List.of(session))).isEqualTo(SiblingGrace.Reason.STRAGGLER);
  }

  @Test
  void aSignerAskedInABatchGetsTheStragglerGraceOncePerSessionOfItsBatch() {
    RoastSession session = node3AskedAfterNodes1And2Answered();

    session.departed("node-3", START.plusMillis(20), 4);

    assertThat(graceAt(500).ends(List.of(session), false, START))
        .contains(START.plusMillis(20 + 4 * 150));
    assertThat(graceAt(620).ends(List.of(session), false, START)).isEmpty();
  }

  @Test
  void anAnswersRoundTripCountsFromWhenItsRequestLeft() {
    RoastSession session = session();
    session.queued("node-1");
    session.departed("node-1", START.plusMillis(500), 1);
    session.validShare("node-1", START.plusMillis(520));

    assertThat(session.slowestValid()).isEqualTo(Duration.ofMillis(20));
  }

  /** node-1 and node-2 answered at 40 and 50 ms; node-3's request waits behind its node's. */
  private static RoastSession node3AskedAfterNodes1And2Answered() {
    RoastSession session = session();
    session.queued("node-3");
    session.validShare("node-1", START.plusMillis(40));
    session.validShare("node-2", START.plusMillis(50));
    session.outcomes.put("node-1", "share ok");
    session.outcomes.put("node-2", "share ok");
    return session;
  }

  /** A ceiling of 3 s (1 s of signing history × 3, at the maximum), read at the given time. */
  private SiblingGrace graceAt(long millisAfterStart) {
    NodeLatencies own = new NodeLatencies(Duration.ofSeconds(30), nanos::get);
    NODES.forEach(n -> own.observeSigning(n, 1_000 * MS));
    return new SiblingGrace(defaults(), own.typicalSigning(), at(millisAfterStart));
  }

  @Test
  void theStragglerRuleGivesALateSignerAtLeastTheFloor() {
    RoastSession session = session();
    session.validShare("node-1", START.plusMillis(2));
    session.outcomes.put("node-1", "share ok");

    assertThat(grace(defaults(), at(0)).of(session)).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void theStragglerRuleIsCappedByTheAdaptiveCeilingNotTheFixedOne() {
    RoastSession session = session();
    session.validShare("node-1", START.plusMillis(400));
    session.outcomes.put("node-1", "share ok");

    assertThat(grace(defaults(), at(0)).of(session)).isEqualTo(Duration.ofMillis(300));
    assertThat(withHistory(1_000).of(session)).isEqualTo(Duration.ofMillis(1_200));
  }

  @Test
  void aSessionThatCannotCompleteHoldsNoSiblingBackAndNamesTheFailure() {
    NODES.forEach(n -> latencies.observeSigning(n, 1_000 * MS));
    RoastSession session = session();
    session.outcomes.put("node-1", "invalid share");

    SiblingGrace grace = grace(defaults(), at(10));

    assertThat(grace.ends(List.of(session), false, START)).isEmpty();
    assertThat(grace.why(List.of(session))).isEqualTo(SiblingGrace.Reason.FAILURE);
  }

  @Test
  void coldPoolsHoldTheFirstSessionForTheConfiguredGraceOnlyEvenUnderLoad() {
    NODES.forEach(n -> latencies.observeSigning(n, 1_000 * MS));

    assertThat(grace(defaults(), at(299)).ends(List.of(), true, START))
        .contains(START.plusMillis(300));
    assertThat(grace(defaults(), at(300)).ends(List.of(), true, START)).isEmpty();
  }

  private SiblingGrace withHistory(long signingMillis) {
    NodeLatencies own = new NodeLatencies(Duration.ofSeconds(30), nanos::get);
    NODES.forEach(n -> own.observeSigning(n, signingMillis * MS));
    return new SiblingGrace(defaults(), own.typicalSigning(), at(0));
  }

  private SiblingGrace grace(SigningProperties properties, Clock clock) {
    Optional<Duration> typical = latencies.typicalSigning();
    return new SiblingGrace(properties, typical, clock);
  }

  private static Clock at(long millisAfterStart) {
    return Clock.fixed(START.plusMillis(millisAfterStart), ZoneOffset.UTC);
  }

  private static RoastSession session() {
    return new RoastSession(
        new SigningSession(
            UUID.randomUUID(),
            UUID.randomUUID(),
            List.of("node-1", "node-2", "node-3"),
            Map.of(),
            Map.of(),
            "00",
            START),
        List.of());
  }

  private static SigningProperties defaults() {
    return properties(Duration.ofMillis(300));
  }

  private static SigningProperties properties(Duration siblingGrace) {
    return new SigningProperties(
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        8,
        4,
        Duration.ofMinutes(5),
        siblingGrace,
        Duration.ofSeconds(3),
        3,
        Duration.ofMillis(30),
        Duration.ofSeconds(30),
        true);
  }
}
