package io.mpcw.orchestrator.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.config.AdmissionProperties;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final AtomicLong inDatabase = new AtomicLong();
  private final AtomicLong counts = new AtomicLong();
  private final AtomicLong clock = new AtomicLong();

  private Admission admission(int max, Duration recount) {
    return new Admission(
        new AdmissionProperties(max, Duration.ofSeconds(1), recount),
        () -> {
          counts.incrementAndGet();
          return inDatabase.get();
        },
        clock::get);
  }

  @Test
  void oneCountServesABurstAndThePaymentsAdmittedSinceAreAddedToIt() {
    Admission admission = admission(10, Duration.ofMillis(100));
    inDatabase.set(7);

    admission.admitOne();
    admission.admitOne();
    admission.admitOne();

    assertThat(counts.get()).isEqualTo(1);
    // 7 counted + 3 admitted since: full, although the database was not asked again
    assertThatThrownBy(admission::admitOne)
        .isInstanceOf(Admission.Busy.class)
        .hasMessageContaining("10 payments are in flight");
    assertThat(counts.get()).isEqualTo(1);
  }

  @Test
  void afterTheRecountTheDatabaseDecidesAgain() {
    Admission admission = admission(10, Duration.ofMillis(100));
    inDatabase.set(10);
    assertThatThrownBy(admission::admitOne).isInstanceOf(Admission.Busy.class);

    inDatabase.set(4); // payments finished meanwhile
    clock.addAndGet(Duration.ofMillis(100).toNanos());

    admission.admitOne();
    assertThat(counts.get()).isEqualTo(2);
  }

  @Test
  void aRecountOfZeroCountsForEveryRequest() {
    Admission admission = admission(10, Duration.ZERO);

    admission.admitOne();
    admission.admitOne();

    assertThat(counts.get()).isEqualTo(2);
  }

  @Test
  void noBoundNeverCounts() {
    Admission admission = admission(0, Duration.ofMillis(100));
    inDatabase.set(1_000_000);

    admission.admitOne();

    assertThat(counts.get()).isZero();
  }

  @Test
  void askingForTheRefusalAdmitsNothing() {
    Admission admission = admission(2, Duration.ofMillis(100));
    inDatabase.set(1);

    assertThat(admission.refusal()).isEmpty();
    assertThat(admission.refusal()).isEmpty();
    admission.admitOne();

    assertThat(admission.refusal())
        .hasValueSatisfying(
            busy -> {
              assertThat(busy).hasMessageContaining("2 payments are in flight");
              assertThat(busy.retryAfterSeconds()).isEqualTo(1);
            });
    assertThat(counts.get()).isEqualTo(1);
  }
}
