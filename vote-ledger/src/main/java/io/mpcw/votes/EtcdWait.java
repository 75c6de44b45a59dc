package io.mpcw.votes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * The one bounded wait for a jetcd call, shared by the vote ledger and the signing records. A call
 * in flight when the etcd leader dies can otherwise hang, so the wait never outlasts its timeout;
 * every way it can fail becomes the caller's own (retryable) exception.
 */
public final class EtcdWait {
  private EtcdWait() {}

  /**
   * @param failure builds the caller's exception from a sentence and its cause
   */
  public static <T> T await(
      CompletableFuture<T> future,
      Duration timeout,
      BiFunction<String, Throwable, ? extends RuntimeException> failure) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // the call's result is not wanted any more; cancelling lets jetcd drop it
      future.cancel(true);
      throw failure.apply("etcd did not answer within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw failure.apply("etcd call failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.apply("interrupted while waiting for etcd", e);
    }
  }
}
