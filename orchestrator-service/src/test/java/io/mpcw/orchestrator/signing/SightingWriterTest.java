package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sightings of callers who came during a write go together in the next one. */
class SightingWriterTest {
  private static final UUID WALLET = UUID.randomUUID();

  /** Remembers each write; the first one waits for {@link #release}. */
  private static final class FakeSeen extends SeenCommitments {
    final List<Integer> writes = new CopyOnWriteArrayList<>();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final Set<String> seen = new HashSet<>();
    volatile RuntimeException failure;

    FakeSeen() {
      super(null);
    }

    @Override
    public List<Boolean> firstSights(List<Sighting> sightings) {
      if (writes.isEmpty()) {
        started.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      writes.add(sightings.size());
      if (failure != null) {
        throw failure;
      }
      List<Boolean> first = new ArrayList<>();
      synchronized (seen) {
        sightings.forEach(s -> first.add(seen.add(new String(s.commitment()))));
      }
      return first;
    }
  }

  private final FakeSeen seen = new FakeSeen();
  private final SightingWriter writer = new SightingWriter(seen);

  @AfterEach
  void stop() {
    writer.stop();
  }

  private static SeenCommitments.Sighting sighting(String commitment) {
    return new SeenCommitments.Sighting(WALLET, commitment.getBytes(), "node-1", UUID.randomUUID());
  }

  private CompletableFuture<List<Boolean>> async(String... commitments) {
    return CompletableFuture.supplyAsync(
        () -> writer.firstSights(List.of(commitments).stream().map(c -> sighting(c)).toList()));
  }

  private void awaitQueued(int callers) throws InterruptedException {
    for (int i = 0; i < 1_000 && writer.queued() < callers; i++) {
      Thread.sleep(10);
    }
    assertThat(writer.queued()).isEqualTo(callers);
  }

  @Test
  void callersThatCameDuringAWriteShareTheNextOneAndEachGetsItsOwnAnswers() throws Exception {
    CompletableFuture<List<Boolean>> first = async("a");
    assertThat(seen.started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<List<Boolean>> second = async("b", "c");
    CompletableFuture<List<Boolean>> third = async("a", "d");
    awaitQueued(2);

    seen.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(true);
    assertThat(second.get(10, TimeUnit.SECONDS)).containsExactly(true, true);
    assertThat(third.get(10, TimeUnit.SECONDS)).containsExactly(false, true);
    assertThat(seen.writes).containsExactly(1, 4);
  }

  @Test
  void aFailedWriteFailsEveryCallerInItAsTheirOwnStatementWould() throws Exception {
    seen.failure = new IllegalStateException("the database is gone");
    seen.release.countDown();

    assertThatThrownBy(() -> writer.firstSights(List.of(sighting("a"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the database is gone");
  }

  @Test
  void aStoppedWriterRefusesInsteadOfLeavingTheCallerWaiting() {
    seen.release.countDown();
    writer.stop();

    assertThatThrownBy(() -> writer.firstSights(List.of(sighting("a"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("shutting down");
  }
}
