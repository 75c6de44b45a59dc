package io.mpcw.node.vote;

/**
 * Error codes of the node's vote replies ({@code Envelope.error.code}). The transport reports every
 * handler error as {@code REMOTE_ERROR}, so callers decide on retrying by code.
 */
public final class VoteErrors {

  /** The payload is not a valid {@code vote.request.v1}; asking again will not help. */
  public static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";

  /** The envelope's type is not one this server handles; not retryable. */
  public static final String UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE";

  /**
   * etcd did not confirm the vote in time; retryable. The vote may still have been recorded: a
   * repeated request then returns it as a duplicate.
   */
  public static final String ETCD_UNAVAILABLE = "ETCD_UNAVAILABLE";

  /** Every vote worker is busy and the queue is full; retryable. */
  public static final String OVERLOADED = "NODE_OVERLOADED";

  /**
   * The decision on this payment was already in etcd, so this node's vote was not recorded; it is
   * not returned either (only a vote recorded in etcd leaves a node). Not retryable.
   */
  public static final String VOTING_CLOSED = "VOTING_CLOSED";

  // a caller that is not the orchestrator is refused RequestPath.FORBIDDEN, as on every such path

  private VoteErrors() {}

  public static boolean retryable(String code) {
    return ETCD_UNAVAILABLE.equals(code) || OVERLOADED.equals(code);
  }
}
