package io.mpcw.votes.retention;

/** etcd refused a prune (e.g. permission denied outside the caller's prefix) or did not answer. */
public class PruneException extends RuntimeException {
  private final long deleted;

  public PruneException(String message, Throwable cause) {
    this(message, cause, 0);
  }

  PruneException(String message, Throwable cause, long deleted) {
    super(message, cause);
    this.deleted = deleted;
  }

  /** Keys the prune had deleted before it failed (they stay deleted). */
  public long deleted() {
    return deleted;
  }
}
