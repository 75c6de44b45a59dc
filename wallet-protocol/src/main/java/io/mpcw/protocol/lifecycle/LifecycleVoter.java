package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.lifecycle.RefreshParticipant.REFRESH;
import static io.mpcw.protocol.lifecycle.RefreshParticipant.REPAIR;
import static io.mpcw.protocol.lifecycle.RefreshParticipant.RESHARE;

import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteResponse;
import io.mpcw.protocol.share.WalletShare;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's vote on a lifecycle operation of a wallet it holds: its own policy first, then what
 * the node can tell is wrong with the operation itself (an unknown kind, a reshare subject that
 * does not parse, a repair of a share that is not another participant's). Signed either way.
 */
final class LifecycleVoter {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshParticipant.class);

  private final LifecycleIdentity identity;
  private final HeldShares shares;
  private final LifecyclePolicy policy;

  LifecycleVoter(LifecycleIdentity identity, HeldShares shares, LifecyclePolicy policy) {
    this.identity = identity;
    this.shares = shares;
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  VoteResponse vote(VoteRequest request) {
    WalletShare share = shares.current(request.walletId(), request.epoch());
    Optional<String> refusal =
        policy.refusal(request.kind(), request.walletId(), request.subject());
    if (refusal.isEmpty()) {
      refusal = refusalOfOperation(request, share);
    }
    String decision = refusal.isPresent() ? LifecycleVote.REJECT : LifecycleVote.APPROVE;
    String reason = refusal.orElse("policy allows " + request.kind());
    LOG.info(
        "lifecycle vote on {} of wallet {} (epoch {}): {} ({})",
        request.kind(),
        share.walletId(),
        request.epoch(),
        decision,
        reason);
    return new VoteResponse(LifecycleVote.sign(identity.credentials(), request, decision, reason));
  }

  private Optional<String> refusalOfOperation(VoteRequest request, WalletShare share) {
    String kind = request.kind();
    if (!REFRESH.equals(kind) && !REPAIR.equals(kind) && !RESHARE.equals(kind)) {
      return Optional.of("this node does not take part in " + kind + " operations");
    }
    if (RESHARE.equals(kind)) {
      try {
        ReshareSubject.parse(request.subject());
      } catch (IllegalArgumentException e) {
        return Optional.of("not a valid reshare: " + e.getMessage());
      }
    }
    if (REPAIR.equals(kind)
        && (!share.participants().contains(request.subject())
            || request.subject().equals(identity.nodeId()))) {
      return Optional.of(request.subject() + " is not another participant of this wallet");
    }
    return Optional.empty();
  }
}
