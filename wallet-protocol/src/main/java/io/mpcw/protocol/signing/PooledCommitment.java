package io.mpcw.protocol.signing;

import java.util.Objects;
import java.util.UUID;

/**
 * One round-1 commitment made ahead of time: the hex of {@code SigningCommitments.encode()} under a
 * random one-time id. Its nonce pair stays in the signer's memory under that id until a {@code
 * sign.share.v2} names it (used once, whatever happens), it is evicted, it expires, or the node
 * restarts.
 */
public record PooledCommitment(UUID id, String commitment) {
  public PooledCommitment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(commitment, "commitment");
  }
}
