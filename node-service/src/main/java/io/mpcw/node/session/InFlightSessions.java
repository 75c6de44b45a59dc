package io.mpcw.node.session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Counts the voting/signing sessions this node is working on; the registry uses the figure to
 * prefer lightly loaded signers. Sessions hold a handle and close it when done.
 */
@Component
public class InFlightSessions {
  private final AtomicInteger open = new AtomicInteger();

  /** Marks a session as started; closing the handle (once or more) ends it. */
  public Session begin() {
    open.incrementAndGet();
    return new Session();
  }

  public int count() {
    return open.get();
  }

  /** One running session. */
  public final class Session implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Session() {}

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
    }
  }
}
