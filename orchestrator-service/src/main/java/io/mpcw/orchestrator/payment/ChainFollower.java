package io.mpcw.orchestrator.payment;

import io.mpcw.chain.ChainBlock;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainTip;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.chain.ChainProperties;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.types.transaction.TransactionState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows the chain once per block and records the wallets' coins from it, so a payment never scans
 * the UTXO set. The position ({@code chain_cursor}) advances in the same database transaction as
 * the block's coins, under a row lock, so replicas following together record each block once. The
 * first start, a block that does not extend the recorded one, and a tip below the recorded block
 * (both reorganisations) fall back to one full scan per wallet and continue from the tip.
 */
@Component
public class ChainFollower {
  private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);

  /** Blocks per round at most, so catching up never holds the shared scheduler thread long. */
  private static final int MAX_BLOCKS_PER_ROUND = 100;

  private final ChainClient chain;
  private final Wallets wallets;
  private final Coins coins;
  private final JdbcClient jdbc;
  private final TransactionTemplate database;
  private final Payments payments;
  private final ChainProperties properties;
  private final WorkSignals signals;
  private final FollowedConfirmations confirmations;

  ChainFollower(
      ChainClient chain,
      Wallets wallets,
      Coins coins,
      JdbcClient jdbc,
      TransactionTemplate database,
      Payments payments,
      ChainProperties properties,
      WorkSignals signals,
      FollowedConfirmations confirmations) {
    this.chain = chain;
    this.wallets = wallets;
    this.coins = coins;
    this.jdbc = jdbc;
    this.database = database;
    this.payments = payments;
    this.properties = properties;
    this.signals = signals;
    this.confirmations = confirmations;
  }

  /** The last block recorded: its height and hash. */
  public record Cursor(long height, String blockHash) {}

  @Scheduled(fixedDelayString = "${mpcw.chain.poll-interval:1s}")
  void followScheduled() {
    try {
      follow();
    } catch (RuntimeException e) {
      log.warn("following the chain failed, will retry: {}", e.toString());
    }
  }

  /**
   * Records every block up to the tip (at most {@value #MAX_BLOCKS_PER_ROUND} per call), then
   * confirms the broadcast payments the followed chain holds deep enough ({@link
   * FollowedConfirmations}), wakes those it left to their stage (a stage held them) and settles the
   * confirmed ones whose block it recorded once they are deep enough. One call at a time in this
   * process: a rescan after a reorganisation writes the tip it read, and a call that read an older
   * tip would move the cursor back under one that had already followed the newer blocks (the
   * scheduler's call and a direct one, as tests make, did).
   */
  public synchronized void follow() {
    Optional<Cursor> before = cursor();
    for (int i = 0; i < MAX_BLOCKS_PER_ROUND; i++) {
      if (!step()) {
        break;
      }
    }
    Optional<Cursor> after = cursor();
    after.ifPresent(
        tip -> {
          boolean newBlock = !after.equals(before);
          // every call, not only at a new block: a payment the block included while it was still
          // signed (its move to broadcasting came after) is confirmable from that move on
          confirmations.confirm();
          int woken = payments.wakeConfirmable(tip.height(), properties.confirmations(), newBlock);
          if (woken > 0) {
            signals.workIn(TransactionState.BROADCASTING);
          }
          if (newBlock) {
            payments.settleFollowed(tip.height(), properties.settledConfirmations());
          }
        });
  }

  /**
   * Whether the block recorded last is the chain's tip: every block up to it has been recorded, and
   * none of them was replaced since (a cursor at the tip's height but on another block is on a
   * branch a reorganisation removed).
   */
  public boolean caughtUp() {
    Optional<Cursor> cursor = cursor();
    return cursor.isPresent() && cursor.get().equals(at(chain.tip()));
  }

  private static Cursor at(ChainTip tip) {
    return new Cursor(tip.height(), tip.hash());
  }

  private boolean step() {
    Optional<Cursor> cursor = cursor();
    ChainTip tip = chain.tip();
    if (cursor.isEmpty()) {
      startAt(cursor, tip);
      return false;
    }
    if (cursor.get().height() > tip.height()) {
      // the chain is shorter than what was recorded: blocks were invalidated (a reorganisation);
      // new blocks at heights already recorded would otherwise never be read
      log.warn(
          "chain tip {} is below recorded block {}: chain reorganised, rescanning coins",
          tip.height(),
          cursor.get().height());
      startAt(cursor, tip);
      return false;
    }
    if (cursor.get().height() == tip.height()) {
      if (!cursor.get().blockHash().equals(tip.hash())) {
        // the recorded block was replaced by another at its height, which no later block shows
        // until the chain grows: until then the removed block's coins would stay free and the new
        // block's be missing
        log.warn(
            "block {} at height {} replaced the recorded {}: chain reorganised, rescanning coins",
            tip.hash(),
            tip.height(),
            cursor.get().blockHash());
        startAt(cursor, tip);
      }
      return false;
    }
    ChainBlock block = chain.block(cursor.get().height() + 1);
    if (!block.previousHash().equals(Optional.of(cursor.get().blockHash()))) {
      log.warn(
          "block {} does not extend recorded block {}: chain reorganised, rescanning coins",
          block.height(),
          cursor.get().blockHash());
      startAt(cursor, tip);
      return false;
    }
    // read after the block: a wallet paid in it was made (and ready) before it was mined
    Map<String, UUID> scripts = walletScripts();
    return Boolean.TRUE.equals(
        database.execute(
            status -> {
              Cursor locked =
                  jdbc.sql("SELECT height, block_hash FROM chain_cursor WHERE id = 1 FOR UPDATE")
                      .query((rs, n) -> new Cursor(rs.getLong(1), rs.getString(2)))
                      .single();
              if (!locked.equals(cursor.get())) {
                return true; // another replica recorded it meanwhile
              }
              int found = coins.recordBlock(block, scripts);
              payments.included(
                  block.height(),
                  block.hash(),
                  block.transactions().stream().map(ChainBlock.Tx::txid).toList());
              jdbc.sql(
                      "UPDATE chain_cursor SET height = ?, block_hash = ?, updated_at = now()"
                          + " WHERE id = 1")
                  .params(block.height(), block.hash())
                  .update();
              if (found > 0) {
                log.debug("block {}: {} wallet outputs", block.height(), found);
              }
              return true;
            }));
  }

  /**
   * One full scan per wallet, then follow from {@code tip}; only if the cursor is still {@code
   * seen}, checked with its row locked for the whole rescan. A replica whose rescan read an older
   * cursor (another replica followed newer blocks or rescanned meanwhile) changes nothing: its scan
   * would delete the coins those newer blocks recorded and move the cursor back under them.
   */
  void startAt(Optional<Cursor> seen, ChainTip tip) {
    database.executeWithoutResult(
        status -> {
          Optional<Cursor> locked =
              jdbc.sql("SELECT height, block_hash FROM chain_cursor WHERE id = 1 FOR UPDATE")
                  .query((rs, n) -> new Cursor(rs.getLong(1), rs.getString(2)))
                  .optional();
          if (!locked.equals(seen)) {
            log.info("not rescanning: the chain cursor moved meanwhile to {}", locked);
            return;
          }
          // blocks between the old position and the new tip are never read: what was recorded of
          // broadcast payments' blocks may be on a lost branch (their stage asks the chain)
          payments.forgetInclusions();
          for (Wallet wallet : wallets.list()) {
            if (wallet.address().isPresent() && wallet.scriptPubKey().isPresent()) {
              coins.refresh(wallet.id(), chain.unspent(wallet.address().get()));
            }
          }
          jdbc.sql(
                  "INSERT INTO chain_cursor (id, height, block_hash) VALUES (1, ?, ?)"
                      + " ON CONFLICT (id) DO UPDATE SET height = EXCLUDED.height,"
                      + " block_hash = EXCLUDED.block_hash, updated_at = now()")
              .params(tip.height(), tip.hash())
              .update();
          log.info("following the chain from block {} ({})", tip.height(), tip.hash());
        });
  }

  /**
   * The last block recorded, as followed by any replica: it changes with every new block and with
   * every reorganisation the follower met (it then starts again at the new tip).
   */
  public Optional<Cursor> recordedTip() {
    return cursor();
  }

  private Optional<Cursor> cursor() {
    return jdbc.sql("SELECT height, block_hash FROM chain_cursor WHERE id = 1")
        .query((rs, n) -> new Cursor(rs.getLong(1), rs.getString(2)))
        .optional();
  }

  private Map<String, UUID> walletScripts() {
    Map<String, UUID> scripts = new HashMap<>();
    for (Wallet wallet : wallets.list()) {
      wallet.scriptPubKey().ifPresent(s -> scripts.put(Hex.encode(s), wallet.id()));
    }
    return scripts;
  }
}
