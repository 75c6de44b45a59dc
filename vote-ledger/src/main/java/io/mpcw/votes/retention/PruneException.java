package io.mpcw.votes.retention;

/** etcd refused a prune (e.g. permission denied outside the caller's prefix) or did not answer. */
public class PruneException extends RuntimeException {
  public PruneException(String message, Throwable cause) {
    super(message, cause);
  }
}
