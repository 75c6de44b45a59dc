package io.mpcw.etcd;

import io.grpc.Status;
import java.net.ConnectException;

/**
 * Which failed etcd calls may be sent again to another member, keeping etcd's linearizable
 * semantics: a request is repeated only when it certainly had no effect, or when it has none by
 * nature.
 *
 * <ul>
 *   <li><b>"etcdserver: no leader"</b>: refused by the member's gRPC interceptor (the
 *       require-leader metadata of {@link EtcdClients}) before the request is handled, so it was
 *       never proposed to raft: any request may be repeated elsewhere.
 *   <li><b>No connection</b> ({@code UNAVAILABLE} caused by a failed connect): the request never
 *       left this process: any request may be repeated elsewhere.
 *   <li><b>Reads</b> (a range, or a txn of ranges only) change nothing: repeated elsewhere after
 *       any unavailability or timeout ("request timed out", "leader changed", a broken connection).
 *   <li><b>Any other failure of a write</b> (put, delete, a txn with a put or delete) is ambiguous:
 *       the member may have proposed it and raft may still apply it. It is not repeated: a blind
 *       repeat could apply a put twice or turn a guarded create-only txn that succeeded into
 *       "already exists", so the caller, who knows what the write was for, decides (the vote ledger
 *       remembers an unanswered attempt and recognises its own record).
 * </ul>
 *
 * <p>A member that failed with any unavailability is left for the next call either way.
 */
enum FailoverRule {
  /** Send the same request to the next member. */
  RETRY_ELSEWHERE,
  /** Keep the failure, but the next call goes to another member. */
  FAIL_AND_MOVE,
  /** Keep the failure and the member (permission denied, invalid request, compacted, ...). */
  FAIL;

  static final String NO_LEADER = "etcdserver: no leader";

  static FailoverRule of(Throwable failure, boolean read) {
    Status status = Status.fromThrowable(failure);
    boolean unavailable =
        status.getCode() == Status.Code.UNAVAILABLE
            || status.getCode() == Status.Code.DEADLINE_EXCEEDED;
    if (!unavailable) {
      return FAIL;
    }
    if (read || neverSent(status, failure)) {
      return RETRY_ELSEWHERE;
    }
    return FAIL_AND_MOVE;
  }

  private static boolean neverSent(Status status, Throwable failure) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    if (NO_LEADER.equals(status.getDescription())) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // Netty's ConnectTimeoutException is a ConnectException too
      if (t instanceof ConnectException) {
        return true;
      }
    }
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }
}
