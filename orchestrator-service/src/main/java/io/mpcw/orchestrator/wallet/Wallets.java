package io.mpcw.orchestrator.wallet;

import io.mpcw.orchestrator.dkg.DkgResult;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Wallet rows. Status changes are conditional updates ({@code WHERE status = ANY(?)}, bound with
 * every status {@link WalletStatus}'s table lets move to the new one), so two orchestrator replicas
 * never both finish one wallet and no move outside the table is ever applied. Statuses are bound as
 * their wire names, never written into the SQL.
 */
@Repository
public class Wallets {
  private static final String COLUMNS =
      "id, name, threshold, network, address, status, status_reason, participants,"
          + " public_key_package, group_public_key, output_key, is_default, created_at, ready_at,"
          + " key_epoch";
  private final JdbcClient jdbc;

  public Wallets(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Wallet> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM wallets WHERE id = ?")
        .param(id)
        .query(Wallets::map)
        .optional();
  }

  public Optional<Wallet> findDefault() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM wallets WHERE is_default")
        .query(Wallets::map)
        .optional();
  }

  /** Every wallet, oldest first (there are few: one per key the cluster holds). */
  public List<Wallet> list() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM wallets ORDER BY created_at, id")
        .query(Wallets::map)
        .list();
  }

  /** Creates the default wallet unless one exists; safe when replicas start together. */
  Wallet ensureDefault(String name, int threshold, String network) {
    jdbc.sql(
            "INSERT INTO wallets (id, name, threshold, network, is_default, status)"
                + " VALUES (?, ?, ?, ?, true, ?) ON CONFLICT DO NOTHING")
        .params(UUID.randomUUID(), name, threshold, network, WalletStatus.PENDING.wireName())
        .update();
    return findDefault().orElseThrow();
  }

  /**
   * Inserts a wallet whose DKG is about to run, leased for {@code lease}.
   *
   * @return false when the name is taken
   */
  boolean insertPending(
      UUID id,
      String name,
      int threshold,
      List<String> participants,
      String network,
      Duration lease) {
    return jdbc.sql(
                "INSERT INTO wallets (id, name, threshold, participants, network, status,"
                    + " dkg_attempts, dkg_next_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 1, now() + ?::interval)"
                    + " ON CONFLICT (name) DO NOTHING")
            .params(
                id,
                name,
                threshold,
                participants.toArray(String[]::new),
                network,
                WalletStatus.PENDING.wireName(),
                interval(lease))
            .update()
        == 1;
  }

  /** Records the agreed keys; false when the wallet was no longer pending. */
  boolean markReady(UUID id, DkgResult result, String address) {
    return jdbc.sql(
                "UPDATE wallets SET status = ?, status_reason = NULL,"
                    + " public_key_package = ?, group_public_key = ?, output_key = ?, address = ?,"
                    + " ready_at = now(), dkg_next_at = NULL WHERE id = ? AND status = ANY(?::text[])")
            .params(
                WalletStatus.READY.wireName(),
                result.publicKeyPackage().encode(),
                result.groupPublicKey(),
                result.outputKey(),
                address,
                id,
                WalletStatus.wireNamesMovingTo(WalletStatus.READY))
            .update()
        == 1;
  }

  /**
   * Marks a wallet failed; {@code retryAfter} present keeps it eligible for another attempt then
   * (the default wallet), absent makes the failure final.
   */
  void markFailed(UUID id, String reason, Optional<Duration> retryAfter) {
    jdbc.sql(
            "UPDATE wallets SET status = ?, status_reason = ?,"
                + " dkg_next_at = CASE WHEN ?::text IS NULL THEN NULL"
                + " ELSE now() + ?::interval END"
                + " WHERE id = ? AND status = ANY(?::text[])")
        .params(
            WalletStatus.FAILED.wireName(),
            reason,
            retryAfter.map(Wallets::interval).orElse(null),
            retryAfter.map(Wallets::interval).orElse(null),
            id,
            WalletStatus.wireNamesMovingTo(WalletStatus.FAILED))
        .update();
  }

  /**
   * Claims the default wallet's next DKG attempt: only one replica wins, and only when the wallet
   * has no key and no attempt is running or backing off. The participants chosen now are recorded.
   *
   * @return the claimed wallet with its attempt number, empty when there is nothing to do now
   */
  Optional<Claim> claimDefault(List<String> participants, int threshold, Duration lease) {
    return jdbc.sql(
            "UPDATE wallets SET status = ?, participants = ?, threshold = ?,"
                + " dkg_attempts = dkg_attempts + 1, dkg_next_at = now() + ?::interval"
                + " WHERE is_default AND status = ANY(?::text[])"
                + " AND (dkg_next_at IS NULL OR dkg_next_at <= now())"
                + " RETURNING id, dkg_attempts")
        .params(
            WalletStatus.PENDING.wireName(),
            participants.toArray(String[]::new),
            threshold,
            interval(lease),
            WalletStatus.wireNamesMovingTo(WalletStatus.PENDING))
        .query((rs, n) -> new Claim(rs.getObject("id", UUID.class), rs.getInt("dkg_attempts")))
        .optional();
  }

  /** The default wallet's attempt number {@code attempt} (1-based) for wallet {@code walletId}. */
  record Claim(UUID walletId, int attempt) {}

  /**
   * Replaces a default wallet whose key can no longer be generated under its id (some nodes may
   * hold a share of the failed attempt and never overwrite one): the old row stays as a failed,
   * renamed wallet, and a fresh default row named {@code name} with a new id takes its place.
   * Payments already submitted to the old default stay with it (their approvals name its id).
   */
  @Transactional
  public UUID retireDefault(UUID id, String name, String reason, Duration retryAfter) {
    int retired =
        jdbc.sql(
                "UPDATE wallets SET is_default = false, status = ?, status_reason = ?,"
                    + " dkg_next_at = NULL, name = name || '-retired-' || left(id::text, 8)"
                    + " WHERE id = ? AND is_default AND status = ANY(?::text[])")
            .params(
                WalletStatus.FAILED.wireName(),
                reason,
                id,
                WalletStatus.wireNamesMovingTo(WalletStatus.FAILED))
            .update();
    if (retired == 0) {
      return findDefault().map(Wallet::id).orElse(id);
    }
    UUID fresh = UUID.randomUUID();
    // the attempt count carries over, so the backoff keeps growing across retired ids
    jdbc.sql(
            "INSERT INTO wallets (id, name, threshold, network, is_default, status, status_reason,"
                + " dkg_attempts, dkg_next_at)"
                + " SELECT ?, ?, threshold, network, true, ?, ?, dkg_attempts,"
                + " now() + ?::interval FROM wallets WHERE id = ?")
        .params(fresh, name, WalletStatus.FAILED.wireName(), reason, interval(retryAfter), id)
        .update();
    return fresh;
  }

  /**
   * Fails wallets created through the API whose coordinator stopped mid-DKG (its lease ran out
   * while the wallet was pending): nobody will finish them.
   */
  int failAbandoned() {
    WalletStatus from = WalletStatus.PENDING;
    WalletStatus to = from.checkMoveTo(WalletStatus.FAILED);
    return jdbc.sql(
            "UPDATE wallets SET status = ?, dkg_next_at = NULL,"
                + " status_reason = 'the orchestrator running its DKG stopped before it finished'"
                + " WHERE NOT is_default AND status = ? AND dkg_next_at < now()")
        .params(to.wireName(), from.wireName())
        .update();
  }

  private static String interval(Duration duration) {
    return duration.toMillis() + " milliseconds";
  }

  private static Wallet map(ResultSet rs, int row) throws SQLException {
    Array participants = rs.getArray("participants");
    byte[] publicKeys = rs.getBytes("public_key_package");
    Timestamp readyAt = rs.getTimestamp("ready_at");
    return new Wallet(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getInt("threshold"),
        rs.getString("network"),
        Optional.ofNullable(rs.getString("address")),
        WalletStatus.fromWireName(rs.getString("status")),
        Optional.ofNullable(rs.getString("status_reason")),
        participants == null ? List.of() : List.of((String[]) participants.getArray()),
        Optional.ofNullable(publicKeys).map(DecodedKeyPackages::decode),
        Optional.ofNullable(rs.getBytes("group_public_key")),
        Optional.ofNullable(rs.getBytes("output_key")),
        rs.getBoolean("is_default"),
        rs.getTimestamp("created_at").toInstant(),
        Optional.ofNullable(readyAt).map(Timestamp::toInstant),
        rs.getLong("key_epoch"));
  }
}
