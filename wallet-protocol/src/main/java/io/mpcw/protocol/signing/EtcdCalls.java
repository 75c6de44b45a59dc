package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for one jetcd call, never longer than its timeout (a call in flight when the leader dies
 * can otherwise hang), and turns every failure into {@code ETCD_UNAVAILABLE}, which callers may
 * retry.
 */
final class EtcdCalls {
  private EtcdCalls() {}

  static <T> T await(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw unavailable("etcd did not answer within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw unavailable("etcd call failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for etcd", e);
    }
  }

  static ProtocolException unavailable(String why, Throwable cause) {
    return new ProtocolException(ProtocolErrors.ETCD_UNAVAILABLE, why, cause);
  }
}
