package io.mpcw.orchestrator.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.EtcdVoteLedger;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The refusal of a cancel whose vote cannot be ended in etcd (the rest: {@code VotingStageTest}).
 */
class VoteCancellationTest {

  @Test
  void aCancelWhileEtcdIsUnreachableIsA503AndWritesNothing() {
    AtomicInteger commits = new AtomicInteger();
    VoteCancellation cancellation =
        new VoteCancellation(
            new EtcdVoteLedger(
                unreachable(commits),
                new EtcdKeys(EtcdKeys.DEFAULT_PREFIX),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)));

    ApiException refused =
        catchThrowableOfType(ApiException.class, () -> cancellation.cancel(UUID.randomUUID()));

    assertThat(refused.problem().getStatus()).isEqualTo(503);
    assertThat(refused.problem().getDetail()).contains("cannot be cancelled while etcd");
    assertThat(commits).as("the one decision write tried").hasValue(1);
  }

  /** A KV whose every transaction fails as a connection refused would. */
  private static KV unreachable(AtomicInteger commits) {
    Txn txn =
        (Txn)
            Proxy.newProxyInstance(
                Txn.class.getClassLoader(),
                new Class<?>[] {Txn.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("commit")) {
                    commits.incrementAndGet();
                    return CompletableFuture.failedFuture(new ConnectException("refused"));
                  }
                  return proxy;
                });
    return (KV)
        Proxy.newProxyInstance(
            KV.class.getClassLoader(),
            new Class<?>[] {KV.class},
            (proxy, method, args) -> {
              if (method.getName().equals("txn")) {
                return txn;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
