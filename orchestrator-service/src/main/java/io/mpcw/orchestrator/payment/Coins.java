package io.mpcw.orchestrator.payment;

import io.mpcw.chain.ChainBlock;
import io.mpcw.chain.Utxo;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.transaction.RowChange;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code utxos} table: a wallet's coins, learnt from the blocks the {@link ChainFollower} reads
 * and from the change of the wallet's own transactions, and which payment holds which. A coin is
 * spendable once a block confirmed it; it is reserved by one payment at a time, picked and locked
 * inside that payment's state change with {@code FOR UPDATE SKIP LOCKED}, so concurrent payments
 * take disjoint coins without waiting on each other.
 */
@Repository
public class Coins {
  /**
   * Coins read by the first step of a look without locks; each further step reads twice as many (up
   * to {@link #MOST_LOOKED}), so a wallet that cannot pay is read in a number of queries that grows
   * with the logarithm of its coins. Locking reads one at a time: every coin locked is then used,
   * so a concurrent payment never skips a coin this one ends up not needing.
   */
  private static final int FIRST_LOOK = 16;

  private static final int MOST_LOOKED = 4096;

  private final JdbcClient jdbc;

  public Coins(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records the chain's current confirmed coins of the wallet, as a full scan found them; free
   * coins gone from it are dropped. Used only to start following the chain (and after a reorg).
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
                + " AND height IS NOT NULL AND NOT (txid || ':' || vout = ANY (?))")
        .params(walletId, keep.toArray(String[]::new))
        .update();
  }

  /**
   * What one block changes: outputs paying a wallet's script become (confirmed) coins, and free
   * coins its inputs spend are gone. Idempotent: a block read twice changes nothing more.
   *
   * @param walletsByScript wallet id by the hex of its output script
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public int recordBlock(ChainBlock block, Map<String, UUID> walletsByScript) {
    List<String> txids = new ArrayList<>();
    List<Integer> vouts = new ArrayList<>();
    List<UUID> wallets = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    List<String> spentTxids = new ArrayList<>();
    List<Integer> spentVouts = new ArrayList<>();
    for (ChainBlock.Tx tx : block.transactions()) {
      for (ChainBlock.Output out : tx.outputs()) {
        UUID wallet = walletsByScript.get(out.scriptPubKeyHex());
        if (wallet == null || out.valueSats() <= 0) {
          continue;
        }
        txids.add(tx.txid());
        vouts.add(out.vout());
        wallets.add(wallet);
        values.add(out.valueSats());
        scripts.add(out.scriptPubKeyHex());
      }
      spentTxids.addAll(tx.spends().stream().map(o -> o.substring(0, o.lastIndexOf(':'))).toList());
      spentVouts.addAll(
          tx.spends().stream()
              .map(o -> Integer.valueOf(o.substring(o.lastIndexOf(':') + 1)))
              .toList());
    }
    if (!txids.isEmpty()) {
      // every wallet output of the block in one statement
      jdbc.sql(
              "INSERT INTO utxos (txid, vout, wallet_id, value_sats, script_pub_key, height)"
                  + " SELECT o.txid, o.vout, o.wallet, o.value, decode(o.script, 'hex'), ?"
                  + " FROM unnest(?::text[], ?::int[], ?::uuid[], ?::bigint[], ?::text[])"
                  + " AS o(txid, vout, wallet, value, script)"
                  + " ON CONFLICT (txid, vout) DO UPDATE SET height = EXCLUDED.height")
          .params(
              block.height(),
              txids.toArray(String[]::new),
              vouts.toArray(Integer[]::new),
              wallets.toArray(UUID[]::new),
              values.toArray(Long[]::new),
              scripts.toArray(String[]::new))
          .update();
    }
    if (!spentTxids.isEmpty()) {
      // spent by something that is not one of our payments (those keep their reservation)
      jdbc.sql(
              "DELETE FROM utxos u USING unnest(?::text[], ?::int[]) AS s(txid, vout)"
                  + " WHERE u.txid = s.txid AND u.vout = s.vout AND u.reserved_by IS NULL"
                  + " AND u.spent_by IS NULL")
          .params(spentTxids.toArray(String[]::new), spentVouts.toArray(Integer[]::new))
          .update();
    }
    return txids.size();
  }

  /**
   * Records the change output of a payment's transaction, written by the move that builds it: not
   * spendable until a block confirms it (the follower then sets its height).
   */
  public static void recordChange(
      RowChange row, UUID walletId, String txid, int vout, long valueSats, byte[] script) {
    row.alongside(
        "INSERT INTO utxos (txid, vout, wallet_id, value_sats, script_pub_key, created_by)"
            + " SELECT :change_txid, :change_vout, :change_wallet, :change_value, :change_script,"
            + " id FROM moved ON CONFLICT (txid, vout) DO NOTHING",
        Map.of(
            "change_txid", txid,
            "change_vout", vout,
            "change_wallet", walletId,
            "change_value", valueSats,
            "change_script", script));
  }

  /** Confirmed coins no payment holds. */
  public List<Coin> free(UUID walletId) {
    return jdbc.sql(
            "SELECT txid, vout, value_sats, script_pub_key FROM utxos WHERE wallet_id = ?"
                + " AND reserved_by IS NULL AND spent_by IS NULL AND height IS NOT NULL"
                + " ORDER BY value_sats DESC, txid, vout")
        .param(walletId)
        .query(Coins::coin)
        .list();
  }

  /** The coin at {@code txid:vout} when it is one of the wallet's confirmed free coins. */
  public Optional<Coin> freeCoin(UUID walletId, String txid, long vout) {
    return jdbc.sql(
            "SELECT txid, vout, value_sats, script_pub_key FROM utxos WHERE wallet_id = ?"
                + " AND txid = ? AND vout = ? AND reserved_by IS NULL AND spent_by IS NULL"
                + " AND height IS NOT NULL")
        .params(walletId, txid, (int) vout)
        .query(Coins::coin)
        .optional();
  }

  /** What the wallet's confirmed free coins add up to. */
  public long freeTotal(UUID walletId) {
    return jdbc.sql(
            "SELECT coalesce(sum(value_sats), 0) FROM utxos WHERE wallet_id = ?"
                + " AND reserved_by IS NULL AND spent_by IS NULL AND height IS NOT NULL")
        .param(walletId)
        .query(Long.class)
        .single();
  }

  /**
   * Looks for the spend without locking anything, largest coins first, reading at most about twice
   * the coins it needs (each once), so a payment's cost does not grow with the wallet's size. Empty
   * when the coins cannot pay the amount and its fee. What the build does when {@link #take} found
   * nothing to take: is the wallet short of money, or were its coins being taken at that instant?
   */
  public Optional<CoinSelection.Selected> select(
      UUID walletId, long amountSats, BigDecimal feeRate, byte[] recipient, byte[] change) {
    CoinSelection.Picker picker = new CoinSelection.Picker(amountSats, feeRate, recipient, change);
    Coin last = null;
    int step = FIRST_LOOK;
    while (true) {
      List<Coin> next = largestAfter(walletId, last, step, Optional.empty());
      for (Coin coin : next) {
        Optional<CoinSelection.Selected> selected = picker.add(coin);
        if (selected.isPresent()) {
          return selected;
        }
      }
      if (next.size() < step) {
        return Optional.empty();
      }
      last = next.get(next.size() - 1);
      step = Math.min(2 * step, MOST_LOOKED);
    }
  }

  /**
   * Takes the spend for payment {@code txId} inside its state change's transaction: the largest
   * free coins, one statement per coin that locks it ({@code FOR UPDATE SKIP LOCKED}: a coin
   * another payment is taking at this instant is skipped, never waited for or collided with) and
   * reserves it. One at a time, so every coin taken is used and a concurrent payment never skips a
   * coin this one ends up not needing.
   *
   * @throws NothingToTakeException when the coins it could take cannot pay the amount and its fee;
   *     the coins reserved so far are in the caller's transaction, which the exception rolls back
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public CoinSelection.Selected take(
      UUID txId,
      UUID walletId,
      long amountSats,
      BigDecimal feeRate,
      byte[] recipient,
      byte[] change) {
    CoinSelection.Picker picker = new CoinSelection.Picker(amountSats, feeRate, recipient, change);
    Coin last = null;
    while (true) {
      List<Coin> next = largestAfter(walletId, last, 1, Optional.of(txId));
      if (next.isEmpty()) {
        throw new NothingToTakeException(txId);
      }
      last = next.get(0);
      Optional<CoinSelection.Selected> selected = picker.add(last);
      if (selected.isPresent()) {
        return selected.get();
      }
    }
  }

  private List<Coin> largestAfter(UUID walletId, Coin after, int limit, Optional<UUID> reserveFor) {
    // a take returns the coin from the UPDATE that reserves it; its pick needs the key only
    String pick =
        "SELECT "
            + (reserveFor.isEmpty() ? "txid, vout, value_sats, script_pub_key" : "txid, vout")
            + " FROM utxos WHERE wallet_id = :wallet"
            + " AND reserved_by IS NULL AND spent_by IS NULL AND height IS NOT NULL"
            // value_sats <= :value bounds the index range (utxos_spendable), so the next step
            // starts at the last coin instead of filtering every larger coin again
            + (after == null
                ? ""
                : " AND value_sats <= :value AND (value_sats < :value OR (txid, vout) > (:txid,"
                    + " :vout))")
            + " ORDER BY value_sats DESC, txid, vout LIMIT "
            + limit;
    String sql =
        reserveFor.isEmpty()
            ? pick
            : "UPDATE utxos SET reserved_by = :payment WHERE (txid, vout) = ("
                + pick
                + " FOR UPDATE SKIP LOCKED) RETURNING txid, vout, value_sats, script_pub_key";
    var statement = jdbc.sql(sql).param("wallet", walletId);
    if (reserveFor.isPresent()) {
      statement = statement.param("payment", reserveFor.get());
    }
    if (after != null) {
      statement =
          statement
              .param("value", after.valueSats())
              .param("txid", after.txid())
              .param("vout", after.vout());
    }
    return statement.query(Coins::coin).list();
  }

  /**
   * Reserves {@code coins} for {@code txId}, all or nothing, in one statement: runs inside the
   * state change's database transaction and throws when another payment holds one, so the move
   * rolls back.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void reserve(UUID txId, List<Coin> coins) {
    int updated =
        jdbc.sql(
                "UPDATE utxos u SET reserved_by = ? FROM unnest(?::text[], ?::int[]) AS c(txid,"
                    + " vout) WHERE u.txid = c.txid AND u.vout = c.vout AND u.reserved_by IS NULL"
                    + " AND u.spent_by IS NULL")
            .params(
                txId,
                coins.stream().map(Coin::txid).toArray(String[]::new),
                coins.stream().map(Coin::vout).toArray(Integer[]::new))
            .update();
    if (updated != coins.size()) {
      throw new CoinTakenException(
          "one of "
              + coins.stream().map(c -> c.txid() + ":" + c.vout()).toList()
              + " was reserved by another payment meanwhile");
    }
  }

  /**
   * The payment confirmed: its coins are spent, written by the move to {@code confirmed} (of one
   * payment, or of every payment a block confirmed).
   */
  public static void spent(RowChange row) {
    row.alongside(
        "UPDATE utxos SET spent_by = reserved_by WHERE reserved_by IN (SELECT id FROM moved)",
        Map.of());
  }

  private static Coin coin(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Coin(
        rs.getString("txid"),
        rs.getInt("vout"),
        rs.getLong("value_sats"),
        rs.getBytes("script_pub_key"));
  }

  /** A coin another payment reserved between selection and the state change. */
  public static final class CoinTakenException extends RuntimeException {
    CoinTakenException(String message) {
      super(message);
    }
  }

  /**
   * {@link #take} found no free coin to lock before the spend was paid: the wallet is short of
   * money, or other payments' state changes were taking its coins at that instant. Nothing may be
   * written: the transaction rolls back and the payment is looked at again.
   */
  public static final class NothingToTakeException extends RuntimeException {
    NothingToTakeException(UUID payment) {
      super("no free coin left to take for " + payment + ": too little money, or being taken");
    }
  }
}
