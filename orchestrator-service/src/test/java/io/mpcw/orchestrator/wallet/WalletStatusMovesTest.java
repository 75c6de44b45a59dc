package io.mpcw.orchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.frost.TrustedDealer;
import io.mpcw.orchestrator.dkg.DkgResult;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The wallet status table as PostgreSQL applies it: each of {@link Wallets}' moves, tried from
 * every status, changes the row exactly when {@link WalletStatus} allows the move.
 */
class WalletStatusMovesTest extends OrchestratorTestBase {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> PARTICIPANTS = List.of("node-1", "node-2", "node-3");

  @Autowired Wallets wallets;
  @Autowired JdbcClient jdbc;

  @Test
  void markReadyMovesOnlyAPendingWallet() {
    for (WalletStatus from : WalletStatus.values()) {
      UUID id = walletIn(from);
      DkgResult keys = dkgResult();
      boolean moved = wallets.markReady(id, keys, address(keys));
      assertThat(moved).as("%s → ready", from).isEqualTo(from.canMoveTo(WalletStatus.READY));
      assertThat(statusOf(id))
          .as("%s after markReady", from)
          .isEqualTo(moved ? WalletStatus.READY : from);
    }
  }

  @Test
  void markFailedNeverFailsAReadyWallet() {
    for (WalletStatus from : WalletStatus.values()) {
      UUID id = walletIn(from);
      wallets.markFailed(id, "moved by the test", Optional.empty());
      boolean allowed = from.canMoveTo(WalletStatus.FAILED);
      assertThat(statusOf(id))
          .as("%s after markFailed", from)
          .isEqualTo(allowed ? WalletStatus.FAILED : from);
      assertThat(reasonOf(id))
          .as("%s: reason written only by an allowed move", from)
          .isEqualTo(allowed ? "moved by the test" : null);
    }
  }

  @Test
  void failAbandonedFailsOnlyPendingWalletsWhoseLeaseRanOut() {
    for (WalletStatus from : WalletStatus.values()) {
      UUID id = walletIn(from);
      jdbc.sql("UPDATE wallets SET dkg_next_at = now() - interval '1 second' WHERE id = ?")
          .param(id)
          .update();
      wallets.failAbandoned();
      assertThat(statusOf(id))
          .as("%s after failAbandoned", from)
          .isEqualTo(from == WalletStatus.PENDING ? WalletStatus.FAILED : from);
    }
  }

  /** A non-default wallet in {@code status}, put there directly (ready with dealt keys). */
  private UUID walletIn(WalletStatus status) {
    UUID id = UUID.randomUUID();
    assertThat(
            wallets.insertPending(
                id, "moves-" + id, 2, PARTICIPANTS, "regtest", Duration.ofMinutes(5)))
        .isTrue();
    if (status == WalletStatus.READY) {
      DkgResult keys = dkgResult();
      assertThat(wallets.markReady(id, keys, address(keys))).isTrue();
    } else if (status == WalletStatus.FAILED) {
      jdbc.sql("UPDATE wallets SET status = ? WHERE id = ?")
          .params(WalletStatus.FAILED.wireName(), id)
          .update();
    }
    assertThat(statusOf(id)).isEqualTo(status);
    return id;
  }

  private WalletStatus statusOf(UUID id) {
    return WalletStatus.fromWireName(
        jdbc.sql("SELECT status FROM wallets WHERE id = ?").param(id).query(String.class).single());
  }

  private String reasonOf(UUID id) {
    return jdbc.sql("SELECT status_reason FROM wallets WHERE id = ?")
        .param(id)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  /** A real regtest address (the chain follower watches every ready wallet's address). */
  private static String address(DkgResult keys) {
    return SegwitAddress.encode(Network.REGTEST, 1, keys.outputKey());
  }

  private static DkgResult dkgResult() {
    TrustedDealer.DealtKeys dealt =
        TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 3, 2, RANDOM);
    byte[] group = new byte[33];
    byte[] output = new byte[32];
    RANDOM.nextBytes(group);
    RANDOM.nextBytes(output);
    return new DkgResult(dealt.publicKeyPackage(), group, output);
  }
}
