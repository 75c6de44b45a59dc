package io.mpcw.protocol.signing;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Several payments' round 2 on pooled commitments to one signer in one exchange (transport message
 * type {@value #TYPE}). The orchestrator sends one when round-2 requests to the node queued while
 * an earlier exchange with it was in flight, so batches form only under load. The node checks and
 * signs each session exactly as a lone {@code sign.share.v2} ({@link
 * SigningParticipant#sharePooledAll}), but reads the approvals and locks of all of them in one etcd
 * transaction and records all their shares in one.
 *
 * <p>Refused whole when empty, longer than {@link #MAX_SESSIONS}, or naming a payment twice: one
 * etcd transaction cannot write one key twice, and the sessions of one payment share its lock.
 */
public record SignPooledShareBatchRequest(List<SignPooledShareRequest> sessions) {
  public static final String TYPE = "sign.share.batch.v1";

  /**
   * The most sessions in one batch: each is one nested transaction of the node's etcd read and of
   * its write, far inside etcd's {@code --max-txn-ops} (128 by default).
   */
  public static final int MAX_SESSIONS = 16;

  public SignPooledShareBatchRequest {
    Objects.requireNonNull(sessions, "sessions");
    if (sessions.isEmpty() || sessions.size() > MAX_SESSIONS) {
      throw new IllegalArgumentException(
          "a batch holds 1 to " + MAX_SESSIONS + " sessions, not " + sessions.size());
    }
    Set<UUID> payments = new HashSet<>();
    for (SignPooledShareRequest session : sessions) {
      Objects.requireNonNull(session, "sessions");
      if (!payments.add(session.txId())) {
        throw new IllegalArgumentException("a batch asks once per payment");
      }
    }
    sessions = List.copyOf(sessions);
  }
}
