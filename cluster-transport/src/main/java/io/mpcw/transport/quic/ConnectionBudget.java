package io.mpcw.transport.quic;

import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;

/**
 * The request bytes one connection's unfinished streams hold on the server. QUIC flow control does
 * not bound them: credit returns to the peer as soon as the server reads, and it reads at once to
 * refuse oversized frames early. Only touched on the connection's event loop.
 */
final class ConnectionBudget {

  private static final AttributeKey<ConnectionBudget> KEY =
      AttributeKey.valueOf("mpcw.connection-budget");

  private final long maxBytes;
  private long held;

  private ConnectionBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  static ConnectionBudget of(QuicChannel connection, long maxBytes) {
    ConnectionBudget budget = connection.attr(KEY).get();
    if (budget == null) {
      budget = new ConnectionBudget(maxBytes);
      connection.attr(KEY).set(budget);
    }
    return budget;
  }

  /** False, taking nothing, when {@code bytes} more would exceed the budget. */
  boolean take(long bytes) {
    if (held + bytes > maxBytes) {
      return false;
    }
    held += bytes;
    return true;
  }

  void give(long bytes) {
    held = Math.max(0, held - bytes);
  }
}
