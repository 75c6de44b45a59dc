package io.mpcw.protocol.signing;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Round 1 done ahead of time: nonce pairs made for a wallet's epoch and kept in the {@link
 * CommitmentPool} under one-time ids, and taken out again, all of them or none, by the round 2 that
 * names them.
 */
final class PooledNonces {
  private final Frost frost;
  private final SecureRandom random;
  private final CommitmentPool pool;

  /** The nonces a round 2 took out of the pool; closing erases every one, used or not. */
  record Taken(List<SigningNonces> nonces, Map<UUID, CommitmentPool.Pending> pending)
      implements AutoCloseable {
    @Override
    public void close() {
      pending.values().forEach(p -> p.nonces().close());
    }
  }

  PooledNonces(Frost frost, SecureRandom random, CommitmentPool pool) {
    this.frost = frost;
    this.random = random;
    this.pool = pool;
  }

  /** {@code count} fresh nonce pairs for the share's wallet and epoch, their commitments out. */
  List<PooledCommitment> fresh(WalletShare share, int count) {
    List<SigningNonces> nonces = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        nonces.add(frost.commit(share.keyPackage(), random));
      }
    } catch (RuntimeException e) {
      nonces.forEach(SigningNonces::close);
      throw e;
    }
    List<UUID> ids = pool.add(share.walletId(), share.epoch(), nonces);
    List<PooledCommitment> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      out.add(new PooledCommitment(ids.get(i), Hex.encode(nonces.get(i).commitments().encode())));
    }
    return out;
  }

  /**
   * Takes the commitments the request names for {@code nodeId} out of the pool before anything else
   * (single use whatever happens), then refuses unless all were pending and made for this wallet
   * and epoch.
   */
  Taken take(String nodeId, SignPooledShareRequest request) {
    List<PooledCommitment> mine = request.commitments().getOrDefault(nodeId, List.of());
    List<UUID> ids = mine.stream().map(PooledCommitment::id).toList();
    Map<UUID, CommitmentPool.Pending> taken = pool.take(ids);
    List<SigningNonces> nonces = new ArrayList<>();
    Taken result = new Taken(nonces, taken);
    try {
      if (mine.isEmpty() || taken.size() != mine.size()) {
        throw new ProtocolException(
            ProtocolErrors.UNKNOWN_SESSION,
            "commitments named for "
                + nodeId
                + " are not pending here (unknown, used, evicted, expired, or the node restarted)");
      }
      for (UUID id : ids) {
        CommitmentPool.Pending p = taken.get(id);
        if (!p.walletId().equals(request.walletId())) {
          throw SigningParticipant.badPackage("commitment " + id + " was made for another wallet");
        }
        if (p.epoch() != request.epoch()) {
          throw SigningParticipant.wrongEpoch(
              request.epoch(), "commitment " + id + " was made in epoch " + p.epoch());
        }
        nonces.add(p.nonces());
      }
      return result;
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  int size() {
    return pool.size();
  }

  void purgeExpired() {
    pool.purgeExpired();
  }
}
