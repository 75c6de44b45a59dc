package io.mpcw.orchestrator.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.orchestrator.transaction.StateLiterals;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.types.transaction.TransactionState;
import java.sql.Array;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The chain side of a payment, in its {@code transactions} row. */
@Repository
public class Payments {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcClient jdbc;

  public Payments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A payment's depth: as last written, or, while it is confirmed, unsettled and its block the one
   * the follower recorded, as deep as that block lies under the followed tip. The follower writes
   * such rows only when they settle ({@link #settleFollowed}), not at every block.
   */
  static final String CONFIRMATIONS =
      "CASE WHEN state = 'confirmed' AND settled_at IS NULL AND included_block IS NOT NULL"
          + " AND block_hash = included_block THEN greatest(coalesce(confirmations, 0),"
          + " (SELECT height FROM chain_cursor WHERE id = 1) - included_height + 1)"
          + " ELSE confirmations END";

  public Optional<BuiltPayment> find(UUID txId) {
    return jdbc.sql(
            "SELECT unsigned_tx, prevouts, fee_sats, change_sats, txid, raw_tx, signers,"
                + " signing_attempts, broadcast_at, "
                + CONFIRMATIONS
                + " AS confirmations, block_hash FROM transactions"
                + " WHERE id = ? AND unsigned_tx IS NOT NULL")
        .param(txId)
        .query(
            (rs, i) ->
                new BuiltPayment(
                    Transaction.parse(rs.getBytes("unsigned_tx")),
                    prevouts(rs.getString("prevouts")),
                    rs.getLong("fee_sats"),
                    rs.getLong("change_sats"),
                    Optional.ofNullable(rs.getString("txid")),
                    Optional.ofNullable(rs.getBytes("raw_tx")),
                    strings(rs.getArray("signers")),
                    rs.getInt("signing_attempts"),
                    rs.getTimestamp("broadcast_at") != null,
                    rs.getInt("confirmations"),
                    Optional.ofNullable(rs.getString("block_hash"))))
        .optional();
  }

  /**
   * What the move out of {@code approved} hands over to the signing stage: the payment as built and
   * the wallet as the build read it a moment before (the signing stage would read both back).
   */
  public record JustBuilt(BuiltPayment payment, Wallet wallet) {}

  /**
   * The built transaction's columns, set by the move out of {@code approved}; handed over to the
   * signing stage as the {@link BuiltPayment} they make, with the {@code wallet} it was built from.
   */
  public static void built(
      RowChange row,
      Wallet wallet,
      Transaction unsigned,
      List<TxOut> prevouts,
      long feeSats,
      long changeSats) {
    row.set("unsigned_tx", unsigned.serialize())
        .setJson("prevouts", json(prevouts))
        .set("fee_sats", feeSats)
        .set("change_sats", changeSats)
        .set("txid", unsigned.txid().toDisplayHex())
        .handOver(
            new JustBuilt(BuiltPayment.justBuilt(unsigned, prevouts, feeSats, changeSats), wallet));
  }

  /** The signed transaction as the move to {@code signed} wrote it: what the broadcast sends. */
  public record Signed(byte[] rawTx) {}

  /**
   * The signed transaction's columns, set by the move to {@code signed}; handed over to the
   * broadcast stage as {@link Signed}.
   */
  public static void signed(RowChange row, Transaction signedTx, List<String> signers) {
    byte[] raw = signedTx.serialize();
    row.set("raw_tx", raw).set("signers", signers.toArray(String[]::new)).handOver(new Signed(raw));
  }

  /** When it was first sent, set by the move out of {@code signed} (sent or refused). */
  public static void broadcast(RowChange row) {
    row.setTo("broadcast_at", "coalesce(broadcast_at, now())");
  }

  /** Progress seen on the chain; written under the stage's lease, outside a state change. */
  public void progress(UUID txId, String lease, int confirmations, Optional<String> blockHash) {
    jdbc.sql(
            "UPDATE transactions SET confirmations = ?, block_hash = ? WHERE id = ?"
                + " AND lease_owner = ?"
                // most polls see what the last one saw: no write then
                + " AND (confirmations IS DISTINCT FROM ? OR block_hash IS DISTINCT FROM ?)")
        .params(
            confirmations,
            blockHash.orElse(null),
            txId,
            lease,
            confirmations,
            blockHash.orElse(null))
        .update();
  }

  /** Where it was confirmed, set by the move to {@code confirmed}. */
  public static void confirmed(RowChange row, int confirmations, Optional<String> blockHash) {
    row.set("confirmations", confirmations)
        .set("block_hash", blockHash.orElse(null))
        .setTo("confirmed_at", "now()");
  }

  /**
   * A confirmed payment still followed for reorganisations: what the watch compares the chain with.
   */
  public record Unsettled(UUID id, String txid, int confirmations, Optional<String> blockHash) {}

  /**
   * The state is written into the statement, not bound: only a plan that knows it may use the
   * partial index {@code transactions_unsettled}, so with it bound PostgreSQL planned every poll
   * again.
   */
  static final String UNSETTLED =
      "SELECT id, txid, confirmations, block_hash FROM transactions WHERE state = "
          + StateLiterals.of(TransactionState.CONFIRMED.wireName())
          + " AND settled_at IS NULL AND txid IS NOT NULL"
          // those whose block the follower recorded deepen with it (settleFollowed)
          + " AND (included_block IS NULL OR block_hash IS DISTINCT FROM included_block)"
          + " ORDER BY confirmed_at LIMIT ?";

  /**
   * Confirmed payments still followed for reorganisations, oldest confirmation first, read in one
   * statement (the watch runs every poll interval: one read per payment would be as many again).
   */
  public List<Unsettled> unsettled(int limit) {
    return jdbc.sql(UNSETTLED)
        .param(limit)
        .query(
            (rs, n) ->
                new Unsettled(
                    rs.getObject("id", UUID.class),
                    rs.getString("txid"),
                    rs.getInt("confirmations"),
                    Optional.ofNullable(rs.getString("block_hash"))))
        .list();
  }

  /**
   * A confirmed payment's transaction seen deeper (or in another block after a reorganisation that
   * kept it); {@code settled} ends the following.
   */
  public void deepened(UUID txId, int confirmations, Optional<String> blockHash, boolean settled) {
    jdbc.sql(
            "UPDATE transactions SET confirmations = ?, block_hash = ?, settled_at = CASE WHEN ?"
                + " THEN now() END WHERE id = ? AND state = ?"
                // the watch looks more often than blocks come: write only what a block changed
                + " AND (? OR confirmations IS DISTINCT FROM ? OR block_hash IS DISTINCT FROM ?)")
        .params(
            confirmations,
            blockHash.orElse(null),
            settled,
            txId,
            TransactionState.CONFIRMED.wireName(),
            settled,
            confirmations,
            blockHash.orElse(null))
        .update();
  }

  /** A reorganisation took the payment's block away: it is unconfirmed again. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void reorganised(UUID txId, int confirmations) {
    jdbc.sql(
            "UPDATE transactions SET confirmations = ?, block_hash = NULL, confirmed_at = NULL,"
                + " included_height = NULL, included_block = NULL WHERE id = ?")
        .params(confirmations, txId)
        .update();
  }

  /**
   * Records that the block {@code hash} at {@code height} includes the transactions of the
   * broadcast payments among {@code txids}; returns how many. Part of the follower's transaction
   * for that block.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public int included(long height, String hash, List<String> txids) {
    if (txids.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            "UPDATE transactions SET included_height = ?, included_block = ?"
                // signed too: a block may include it before its move to broadcasting commits
                + " WHERE state IN ('signed', 'broadcasting') AND txid = ANY(?)"
                + " AND included_block IS DISTINCT FROM ?")
        .params(height, hash, txids.toArray(String[]::new), hash)
        .update();
  }

  /**
   * The chain reorganised: what the follower recorded about payments' blocks may be on the lost
   * branch. Broadcast payments' stage and the reorg watch's chain requests find the truth.
   */
  public int forgetInclusions() {
    return jdbc.sql(
            // a followed payment keeps the depth it showed (read against the tip not yet moved)
            "UPDATE transactions SET confirmations = "
                + CONFIRMATIONS
                + ", included_height = NULL, included_block = NULL"
                + " WHERE included_block IS NOT NULL AND (state IN ('signed', 'broadcasting')"
                + " OR (state = 'confirmed' AND settled_at IS NULL))")
        .update();
  }

  /**
   * Settles, at {@code settledConfirmations}, every confirmed payment whose block the follower
   * recorded and the confirmation stage confirmed (the same hash): the followed chain extends that
   * block without a reorganisation since (the follower forgets its records when it meets one), so
   * its depth is the followed tip's height less the block's, plus one. Until then such a row is not
   * written at all: its depth is read against the followed tip ({@link #CONFIRMATIONS}); writing it
   * at every block was a third of the row versions a payment made. Returns how many rows settled.
   */
  public int settleFollowed(long tipHeight, int settledConfirmations) {
    return jdbc.sql(
            "UPDATE transactions SET"
                // never lower than the stage saw (a follower a block behind the chain)
                + " confirmations = greatest(coalesce(confirmations, 0), :tip - included_height + 1),"
                + " settled_at = now()"
                + " WHERE state = 'confirmed' AND settled_at IS NULL"
                + " AND included_block IS NOT NULL AND block_hash = included_block"
                + " AND :tip - included_height + 1 >= :settled")
        .param("tip", tipHeight)
        .param("settled", settledConfirmations)
        .update();
  }

  /**
   * Makes due now every broadcast payment whose block is {@code confirmations} deep under the
   * followed tip and, when {@code newBlock}, every one already seen in a block (its depth grew);
   * returns how many were woken. A wake that a stage's own retry overwrote is made again at the
   * next call while the payment stays deep enough.
   */
  public int wakeConfirmable(long tipHeight, int confirmations, boolean newBlock) {
    return jdbc.sql(
            "UPDATE transactions SET next_attempt_at = now() WHERE state = 'broadcasting'"
                + " AND next_attempt_at > now() AND ((included_height IS NOT NULL"
                + " AND included_height <= ?) OR (? AND block_hash IS NOT NULL))")
        .params(tipHeight - confirmations + 1, newBlock)
        .update();
  }

  private static String json(List<TxOut> prevouts) {
    try {
      return JSON.writeValueAsString(
          prevouts.stream()
              .map(
                  p ->
                      Map.of(
                          "value_sats",
                          p.valueSats(),
                          "script_pub_key",
                          Hex.encode(p.scriptPubKey())))
              .toList());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<TxOut> prevouts(String json) {
    try {
      List<Map<String, Object>> rows = JSON.readValue(json, new TypeReference<>() {});
      return rows.stream()
          .map(
              r ->
                  new TxOut(
                      ((Number) r.get("value_sats")).longValue(),
                      Hex.decode((String) r.get("script_pub_key"))))
          .toList();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored prevouts are not JSON", e);
    }
  }

  private static List<String> strings(Array array) throws java.sql.SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }
}
