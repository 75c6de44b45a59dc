package io.mpcw.orchestrator.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.config.AdmissionProperties;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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

  /**
   * The count takes a database connection. A caller that held the lock while waiting for one
   * stopped the API: the requests holding every connection were waiting for the lock. Here the
   * count, once started, has another caller admitted and refused before it ends.
   */
  @Test
  void whileOneCallerCountsTheOthersAreAnsweredFromTheLastCountWithoutWaitingForIt()
      throws Exception {
    AtomicBoolean blockNext = new AtomicBoolean();
    CountDownLatch counting = new CountDownLatch(1);
    CountDownLatch others = new CountDownLatch(1);
    LongSupplier database =
        () -> {
          if (blockNext.getAndSet(false)) {
            counting.countDown();
            await(others);
            return 6;
          }
          return 5;
        };
    Admission admission =
        new Admission(
            new AdmissionProperties(8, Duration.ofSeconds(1), Duration.ofMillis(100)),
            database,
            clock::get);
    admission.admitOne();
    admission.admitOne(); // 5 counted + 2 admitted since
    clock.addAndGet(Duration.ofMillis(100).toNanos());
    blockNext.set(true);

    CompletableFuture<Void> recount = CompletableFuture.runAsync(admission::admitOne);
    await(counting);
    // answered from the last count (5 + 2 + this one), not after the count that is under way
    CompletableFuture<Void> meanwhile = CompletableFuture.runAsync(admission::admitOne);
    meanwhile.get(30, TimeUnit.SECONDS);
    assertThat(admission.refusal())
        .hasValueSatisfying(b -> assertThat(b).hasMessageContaining("8 payments are in flight"));
    others.countDown();
    recount.get(30, TimeUnit.SECONDS);

    // the new count (6) plus what was admitted from the moment it began (2): the two before it
    // are in the count or finished
    assertThat(admission.refusal())
        .hasValueSatisfying(b -> assertThat(b).hasMessageContaining("8 payments are in flight"));
  }

  @Test
  void aCountThatFailedIsTriedAgainByTheNextCaller() {
    AtomicBoolean fail = new AtomicBoolean(true);
    Admission admission =
        new Admission(
            new AdmissionProperties(10, Duration.ofSeconds(1), Duration.ofMillis(100)),
            () -> {
              counts.incrementAndGet();
              if (fail.getAndSet(false)) {
                throw new IllegalStateException("no connection");
              }
              return 3;
            },
            clock::get);

    assertThatThrownBy(admission::admitOne).isInstanceOf(IllegalStateException.class);
    admission.admitOne();

    assertThat(counts.get()).isEqualTo(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never reached");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
