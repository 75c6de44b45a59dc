package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.votes.EtcdWait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The signing records' etcd wait: {@link EtcdWait}'s bound, with every failure as {@code
 * ETCD_UNAVAILABLE}, which callers may retry.
 */
final class EtcdCalls {
  private EtcdCalls() {}

  static <T> T await(CompletableFuture<T> future, Duration timeout) {
    return EtcdWait.await(future, timeout, EtcdCalls::unavailable);
  }

  static ProtocolException unavailable(String why, Throwable cause) {
    return new ProtocolException(ProtocolErrors.ETCD_UNAVAILABLE, why, cause);
  }
}
