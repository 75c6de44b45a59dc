package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EtcdWaitTest {

  @Test
  void answerWithinTheTimeoutIsReturned() {
    assertThat(
            EtcdWait.await(
                CompletableFuture.completedFuture("v"),
                Duration.ofSeconds(5),
                VoteLedgerException::new))
        .isEqualTo("v");
  }

  @Test
  void callThatNeverAnswersIsCancelledAndBecomesTheCallersException() {
    CompletableFuture<String> hung = new CompletableFuture<>();

    assertThatThrownBy(() -> EtcdWait.await(hung, Duration.ofMillis(20), VoteLedgerException::new))
        .isInstanceOf(VoteLedgerException.class)
        .hasMessage("etcd did not answer within 20 ms");
    assertThat(hung).isCancelled();
  }

  @Test
  void failedCallBecomesTheCallersExceptionWithItsCause() {
    IOException down = new IOException("connection refused");

    assertThatThrownBy(
            () ->
                EtcdWait.await(
                    CompletableFuture.failedFuture(down),
                    Duration.ofSeconds(5),
                    VoteLedgerException::new))
        .isInstanceOf(VoteLedgerException.class)
        .hasMessageStartingWith("etcd call failed:")
        .hasCause(down);
  }

  @Test
  void interruptedWaitKeepsTheInterruptAndBecomesTheCallersException() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () ->
                  EtcdWait.await(
                      new CompletableFuture<>(), Duration.ofSeconds(5), VoteLedgerException::new))
          .isInstanceOf(VoteLedgerException.class)
          .hasMessage("interrupted while waiting for etcd");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
