package io.mpcw.orchestrator.broadcast;

import io.mpcw.orchestrator.payment.ChainFollower;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a look at the chain can learn anything new: a transaction's confirmations and block
 * change only with a new block or a reorganisation, and the follower's recorded tip changes with
 * both. A look that saw every payment it had to see under one tip need not be repeated under the
 * same tip. A look is still made at least once per {@code safetyNet}, in case the follower is stuck
 * while the chain moves on.
 */
final class ChainMovedGate {
  private final long safetyNetNanos;
  private Optional<ChainFollower.Cursor> completeUnder = Optional.empty();
  private long lastLookNanos;
  private boolean looked;

  ChainMovedGate(Duration safetyNet) {
    this.safetyNetNanos = safetyNet.toNanos();
  }

  /** Whether to look now, with the follower's tip read just before. */
  synchronized boolean due(Optional<ChainFollower.Cursor> tip, long nowNanos) {
    return !looked
        || tip.isEmpty()
        || !tip.equals(completeUnder)
        || nowNanos - lastLookNanos >= safetyNetNanos;
  }

  /** A look was made under {@code tip}; {@code complete} when it saw every payment it had to. */
  synchronized void looked(Optional<ChainFollower.Cursor> tip, boolean complete, long nowNanos) {
    looked = true;
    lastLookNanos = nowNanos;
    completeUnder = complete ? tip : Optional.empty();
  }
}
