package io.mpcw.node.vote;

import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.votes.VoteRecord;
import java.util.Arrays;

/** Signs vote records with this node's identity key, over {@link VoteRecord#signingPayload()}. */
public final class VoteSigner {

  private final NodeIdentity identity;

  public VoteSigner(NodeIdentity identity) {
    this.identity = identity;
  }

  public String nodeId() {
    return identity.nodeId();
  }

  public VoteRecord sign(VoteRecord unsigned) {
    return unsigned.withSignature(
        RecordSignatures.sign(identity.credentials(), unsigned.signingPayload()));
  }

  /**
   * A well-formed signature by this node's key that does not verify for {@code unsigned}: it covers
   * one byte more than the record's signing payload.
   */
  public VoteRecord forge(VoteRecord unsigned) {
    byte[] payload = unsigned.signingPayload();
    byte[] other = Arrays.copyOf(payload, payload.length + 1);
    return unsigned.withSignature(RecordSignatures.sign(identity.credentials(), other));
  }
}
