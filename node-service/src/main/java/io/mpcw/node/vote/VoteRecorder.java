package io.mpcw.node.vote;

import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.votes.Decision;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import io.mpcw.votes.VoteResponse;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Turns a decision into the signed record this node stores and the answer it gives, honestly or as
 * the fault switch dictates. Keeping every fault here leaves the voting flow itself honest.
 */
public final class VoteRecorder {

  private final VoteSigner signer;
  private final ByzantineMode mode;
  private final Consumer<VoteRecord> ownApprovals;

  /** Keeping no record of its own approvals: the approval check then verifies them too. */
  public VoteRecorder(VoteSigner signer, ByzantineMode mode) {
    this(signer, mode, vote -> {});
  }

  /**
   * @param ownApprovals told of every approval this node signs honestly, before it is cast (its
   *     journal's record, so this node's approval check need not verify its own signature); a
   *     forged signature is never reported, so it is verified, and refused, like anyone else's
   */
  public VoteRecorder(VoteSigner signer, ByzantineMode mode, Consumer<VoteRecord> ownApprovals) {
    this.signer = signer;
    this.mode = mode;
    this.ownApprovals = ownApprovals;
  }

  /** The signed record to cast for {@code decision} on {@code payload}. */
  public VoteRecord record(VotePayload payload, Decision decision, String reason, Instant at) {
    VotePayload digested = mode == ByzantineMode.WRONG_DIGEST ? otherThan(payload) : payload;
    VoteRecord unsigned =
        VoteRecord.unsigned(
            payload.txId(), signer.nodeId(), decision, reason, digested.digest(decision), at);
    if (mode == ByzantineMode.BAD_SIGNATURE) {
      return signer.forge(unsigned);
    }
    VoteRecord signed = signer.sign(unsigned);
    if (decision == Decision.APPROVE) {
      ownApprovals.accept(signed);
    }
    return signed;
  }

  /** What to answer the orchestrator once the ledger has answered {@code honest}. */
  public VoteResponse answer(VotePayload payload, VoteResponse honest, Instant at) {
    if (mode != ByzantineMode.EQUIVOCATE) {
      return honest;
    }
    Decision opposite =
        honest.vote().decision() == Decision.APPROVE ? Decision.REJECT : Decision.APPROVE;
    String reason = opposite == Decision.APPROVE ? "within policy" : "rejected by policy";
    VoteRecord lie =
        signer.sign(
            VoteRecord.unsigned(
                payload.txId(), signer.nodeId(), opposite, reason, payload.digest(opposite), at));
    return new VoteResponse(lie, honest.outcome());
  }

  private static VotePayload otherThan(VotePayload payload) {
    // flipping the lowest bit changes the amount without overflowing
    return new VotePayload(
        payload.txId(), payload.walletId(), payload.recipient(), payload.amountSats() ^ 1L);
  }
}
