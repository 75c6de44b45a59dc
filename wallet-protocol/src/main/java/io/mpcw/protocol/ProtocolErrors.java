package io.mpcw.protocol;

import java.util.Set;

/**
 * Error codes of the DKG and signing replies ({@code Envelope.error.code}); the detail says why in
 * words. The coordinator decides by code whether asking again (or another node) can help.
 */
public final class ProtocolErrors {

  /** Not a valid message of its type. Not retryable. */
  public static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";

  /** The envelope's type is not served here. Not retryable. */
  public static final String UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE";

  /** This node is not a participant of the wallet / DKG, or holds no share for the wallet. */
  public static final String NOT_A_PARTICIPANT = "NOT_A_PARTICIPANT";

  /** A DKG step arrived for a session this node does not have in memory (restart, or replay). */
  public static final String UNKNOWN_DKG_SESSION = "UNKNOWN_DKG_SESSION";

  /** The node already holds a finished share for this wallet: a DKG is never run twice. */
  public static final String WALLET_EXISTS = "WALLET_EXISTS";

  /**
   * A peer's DKG data is invalid (bad proof of knowledge, share not matching its commitment, bad
   * seal or signature, echo mismatch). The detail names the culprit node; the DKG must restart.
   */
  public static final String DKG_CULPRIT = "DKG_CULPRIT";

  /** Participants did not all see the same round-1 packages (echo broadcast check failed). */
  public static final String DKG_ECHO_MISMATCH = "DKG_ECHO_MISMATCH";

  /**
   * Round 2 for a signing session this node does not hold: unknown, already used, expired, or the
   * node restarted since round 1. Its nonces are gone; start a new attempt with fresh nonces.
   */
  public static final String UNKNOWN_SESSION = "UNKNOWN_SESSION";

  /** Fewer than the required validly signed approvals for this payment's digest exist in etcd. */
  public static final String NOT_APPROVED = "NOT_APPROVED";

  /** The transaction does not pay exactly the approved recipient and amount plus change. */
  public static final String PAYMENT_MISMATCH = "PAYMENT_MISMATCH";

  /** The fee is above this node's policy limit. */
  public static final String FEE_TOO_HIGH = "FEE_TOO_HIGH";

  /** This payment was already signed as a different transaction (no second spend for one tx). */
  public static final String CONFLICTING_TRANSACTION = "CONFLICTING_TRANSACTION";

  /**
   * Round 2 for a signing session the coordinator abandoned in etcd (its {@code aborted} key
   * exists): this node records no share for it and has erased the session's nonces. Start a new
   * attempt with fresh nonces.
   */
  public static final String SESSION_ABORTED = "SESSION_ABORTED";

  /**
   * This node's shares for the session are already recorded in etcd: a second, different record for
   * one session and node is never written. The recorded shares stand (read them from etcd).
   */
  public static final String SHARE_ALREADY_RECORDED = "SHARE_ALREADY_RECORDED";

  /** The signing package is inconsistent (commitments missing, not ours, too few signers). */
  public static final String BAD_SIGNING_PACKAGE = "BAD_SIGNING_PACKAGE";

  /** etcd (approvals, signing lock, share records) could not be reached in time. Retryable. */
  public static final String ETCD_UNAVAILABLE = "ETCD_UNAVAILABLE";

  /**
   * The request names a key epoch this node does not hold as the wallet's current one: an old epoch
   * whose share was erased after a refresh, or one not committed here yet. Ask again in the
   * wallet's current epoch; the node is not at fault.
   */
  public static final String WRONG_EPOCH = "WRONG_EPOCH";

  /** Fewer than t validly signed approvals of this lifecycle operation came with the request. */
  public static final String LIFECYCLE_NOT_APPROVED = "LIFECYCLE_NOT_APPROVED";

  /**
   * A peer's refresh or repair data is invalid (zero-sharing whose constant term is not the
   * identity or of the wrong degree, share not matching its commitment, bad seal or
   * acknowledgement). The detail names the culprit node; nothing was staged or committed.
   */
  public static final String LIFECYCLE_CULPRIT = "LIFECYCLE_CULPRIT";

  /** A refresh step arrived for an operation this node holds no round state of (restart). */
  public static final String UNKNOWN_LIFECYCLE_SESSION = "UNKNOWN_LIFECYCLE_SESSION";

  /** The node is busy. Retryable. */
  public static final String OVERLOADED = "NODE_OVERLOADED";

  private static final Set<String> RETRYABLE = Set.of(ETCD_UNAVAILABLE, OVERLOADED);

  private ProtocolErrors() {}

  public static boolean retryable(String code) {
    return RETRYABLE.contains(code);
  }
}
