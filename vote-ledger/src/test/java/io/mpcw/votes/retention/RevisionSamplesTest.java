package io.mpcw.votes.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RevisionSamplesTest {
  private static final Duration RETENTION = Duration.ofDays(7);
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private final RevisionSamples samples = new RevisionSamples(RETENTION);

  @Test
  void noCutOffUntilTheFirstSampleIsOneRetentionPeriodOld() {
    samples.record(T0, 10);
    samples.record(T0.plus(Duration.ofDays(3)), 500);
    samples.record(T0.plus(Duration.ofDays(6)), 900);

    assertThat(samples.cutoff(T0.plus(RETENTION).minusMillis(1))).isEmpty();
    assertThat(samples.cutoff(T0.plus(RETENTION))).contains(10L);
  }

  @Test
  void theCutOffIsTheNewestSampleAtLeastOneRetentionPeriodOld() {
    samples.record(T0, 10);
    samples.record(T0.plus(Duration.ofMinutes(5)), 20);
    samples.record(T0.plus(Duration.ofMinutes(10)), 30);

    Instant now = T0.plus(RETENTION).plus(Duration.ofMinutes(7));

    assertThat(samples.cutoff(now)).contains(20L);
    // asked again (the same answer), and later (the next sample)
    assertThat(samples.cutoff(now)).contains(20L);
    assertThat(samples.cutoff(now.plus(Duration.ofMinutes(3)))).contains(30L);
  }

  @Test
  void samplesOlderThanTheCutOffsAreDropped() {
    for (int i = 0; i < 100; i++) {
      samples.record(T0.plus(Duration.ofMinutes(5L * i)), i);
    }

    assertThat(samples.cutoff(T0.plus(RETENTION).plus(Duration.ofMinutes(5L * 99)))).contains(99L);
    assertThat(samples.size()).isEqualTo(1);
  }

  @Test
  void aSampleFromAClockSteppedBackIsIgnored() {
    samples.record(T0.plus(Duration.ofDays(1)), 10);
    // the clock went back two days: this revision must not pass as written on day -1
    samples.record(T0.minus(Duration.ofDays(1)), 50);

    assertThat(samples.cutoff(T0.plus(RETENTION).minus(Duration.ofHours(1)))).isEmpty();
    assertThat(samples.cutoff(T0.plus(Duration.ofDays(1)).plus(RETENTION))).contains(10L);
  }

  @Test
  void aRevisionGoingBackwardsDropsEveryEarlierSample() {
    samples.record(T0, 1000);
    // etcd restored from an older backup: revisions no longer tell the old samples' time
    samples.record(T0.plus(Duration.ofHours(1)), 400);

    assertThat(samples.cutoff(T0.plus(RETENTION).plus(Duration.ofMinutes(30)))).isEmpty();
    assertThat(samples.cutoff(T0.plus(RETENTION).plus(Duration.ofHours(1)))).contains(400L);
  }

  @Test
  void aRetentionOfZeroIsRefused() {
    assertThatThrownBy(() -> new RevisionSamples(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
