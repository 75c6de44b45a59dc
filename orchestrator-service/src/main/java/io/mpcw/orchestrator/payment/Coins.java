package io.mpcw.orchestrator.payment;

import io.mpcw.chain.Utxo;
import io.mpcw.crypto.util.Hex;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code utxos} table: a wallet's coins as last seen on the chain, and which payment holds
 * which. A coin is reserved by one payment at a time, and reserved coins are never forgotten by a
 * refresh (the payment that holds them decides their fate).
 */
@Repository
public class Coins {
  private final JdbcClient jdbc;

  public Coins(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records the chain's current confirmed coins of the wallet; free coins gone from it are dropped.
   */
  @Transactional
  public void refresh(UUID walletId, List<Utxo> onChain) {
    for (Utxo u : onChain) {
      jdbc.sql(
              "INSERT INTO utxos (txid, vout, wallet_id, value_sats, script_pub_key, height)"
                  + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (txid, vout) DO UPDATE SET height ="
                  + " EXCLUDED.height")
          .params(
              u.txid(),
              u.vout(),
              walletId,
              u.valueSats(),
              Hex.decode(u.scriptPubKeyHex()),
              u.height())
          .update();
    }
    List<String> keep = onChain.stream().map(u -> u.txid() + ":" + u.vout()).toList();
    jdbc.sql(
            "DELETE FROM utxos WHERE wallet_id = ? AND reserved_by IS NULL AND spent_by IS NULL"
                + " AND NOT (txid || ':' || vout = ANY (?))")
        .params(walletId, keep.toArray(String[]::new))
        .update();
  }

  /** Coins no payment holds. */
  public List<Coin> free(UUID walletId) {
    return jdbc.sql(
            "SELECT txid, vout, value_sats, script_pub_key FROM utxos WHERE wallet_id = ?"
                + " AND reserved_by IS NULL AND spent_by IS NULL")
        .param(walletId)
        .query(
            (rs, i) ->
                new Coin(
                    rs.getString("txid"),
                    rs.getInt("vout"),
                    rs.getLong("value_sats"),
                    rs.getBytes("script_pub_key")))
        .list();
  }

  /**
   * Reserves {@code coins} for {@code txId}, all or nothing: runs inside the state change's
   * database transaction and throws when another payment took one meanwhile, so the move rolls
   * back.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void reserve(UUID txId, List<Coin> coins) {
    for (Coin c : coins) {
      int updated =
          jdbc.sql(
                  "UPDATE utxos SET reserved_by = ? WHERE txid = ? AND vout = ?"
                      + " AND reserved_by IS NULL AND spent_by IS NULL")
              .params(txId, c.txid(), c.vout())
              .update();
      if (updated != 1) {
        throw new CoinTakenException(c.txid() + ":" + c.vout());
      }
    }
  }

  /** The payment confirmed: its coins are spent. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void markSpent(UUID txId) {
    jdbc.sql("UPDATE utxos SET spent_by = reserved_by WHERE reserved_by = ?").param(txId).update();
  }

  /** A coin another payment reserved between selection and the state change. */
  public static final class CoinTakenException extends RuntimeException {
    CoinTakenException(String outpoint) {
      super("coin " + outpoint + " was reserved by another payment meanwhile");
    }
  }
}
