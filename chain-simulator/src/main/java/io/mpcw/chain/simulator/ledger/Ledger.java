package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxIn;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated chain: blocks, the UTXO set they leave, and the mempool. Every public method holds
 * the ledger's lock, so RPC threads and the block timer see consistent states; the work under it is
 * small (a chain of this size, checked signatures of one transaction).
 *
 * <p>Mempool transactions may spend outputs of other mempool transactions, as with bitcoind; a
 * block takes the whole mempool in arrival order, which puts parents before children.
 */
public final class Ledger {
  private static final Logger log = LoggerFactory.getLogger(Ledger.class);

  private final Network network;
  private final BlockLog blockLog;
  private final List<Block> chain = new ArrayList<>();
  private final Map<String, Block> blocksByHash = new HashMap<>();
  private final Map<OutPoint, Coin> utxos = new HashMap<>();
  private final Map<Txid, Long> confirmedHeights = new HashMap<>();
  private final Mempool mempool = new Mempool();
  private final FaucetTransactions faucet = new FaucetTransactions();
  private final SecureRandom random = new SecureRandom();
  private final CoinView view = new LedgerView();

  private Ledger(Network network, BlockLog blockLog) {
    this.network = network;
    this.blockLog = blockLog;
  }

  /**
   * A ledger at the tip of {@code stored} (blocks 1..n as the block log returned them), recording
   * new blocks to {@code blockLog}.
   *
   * @throws IllegalStateException when the stored blocks do not form a valid chain
   */
  public static Ledger open(Network network, BlockLog blockLog, List<Block> stored) {
    Ledger ledger = new Ledger(network, blockLog);
    ledger.rebuild(stored);
    return ledger;
  }

  public Network network() {
    return network;
  }

  /**
   * Accepts {@code tx} into the mempool.
   *
   * @throws Rejection when it is already known or breaks a rule, with bitcoind's code and message
   */
  public synchronized Txid submit(Transaction tx, FeePolicy policy) {
    Txid txid = tx.txid();
    if (mempool.contains(txid)) {
      throw new Rejection(RejectReason.ALREADY_KNOWN, "txn-already-in-mempool");
    }
    if (confirmedHeights.containsKey(txid)) {
      throw new Rejection(RejectReason.ALREADY_KNOWN, "Transaction already in block chain");
    }
    long fee = TransactionRules.check(tx, view, policy);
    mempool.add(tx);
    log.debug("accepted {} paying {} sats fee", txid, fee);
    return txid;
  }

  /** Mints {@code sats} to {@code scriptPubKey}: the payment waits in the mempool for a block. */
  public synchronized Txid faucet(byte[] scriptPubKey, long sats) {
    Transaction payment = faucet.pay(scriptPubKey, sats);
    mempool.add(payment);
    log.debug("faucet payment {} of {} sats", payment.txid(), sats);
    return payment.txid();
  }

  /** Mines one block with the whole mempool, recording it before it becomes the tip. */
  public synchronized Block mineBlock() {
    Block tip = tip();
    long now = System.currentTimeMillis() / 1000;
    Block block =
        Block.of(
            tip.hash(),
            tip.height() + 1,
            Math.max(now, tip.time()),
            random.nextLong(),
            mempool.transactions());
    blockLog.append(block);
    connect(block);
    mempool.clear();
    if (block.txs().isEmpty()) {
      log.debug("mined empty block {} at height {}", block.hash(), block.height());
    } else {
      log.info(
          "mined block {} at height {} with {} transactions",
          block.hash(),
          block.height(),
          block.txs().size());
    }
    return block;
  }

  public synchronized List<Block> mine(int blocks) {
    List<Block> mined = new ArrayList<>(blocks);
    for (int i = 0; i < blocks; i++) {
      mined.add(mineBlock());
    }
    return mined;
  }

  /**
   * Disconnects block {@code hash} and its descendants. Their transactions and the mempool's go
   * back through the mempool rules, in chain order; those no longer valid are dropped, as bitcoind
   * does after a reorganisation.
   *
   * @return how many transactions are in the mempool afterwards
   * @throws NoSuchElementException when no block in the chain has this hash
   * @throws IllegalArgumentException for the genesis block
   */
  public synchronized int invalidate(String hash) {
    Block target = blocksByHash.get(hash);
    if (target == null) {
      throw new NoSuchElementException("Block not found");
    }
    int height = (int) target.height();
    if (height == 0) {
      throw new IllegalArgumentException("the genesis block cannot be invalidated");
    }
    List<Transaction> returning = new ArrayList<>();
    chain.subList(height, chain.size()).forEach(block -> returning.addAll(block.txs()));
    returning.addAll(mempool.transactions());
    blockLog.truncate(height);
    rebuild(List.copyOf(chain.subList(1, height)));
    returning.forEach(this::readmit);
    log.info(
        "invalidated block {} at height {}: tip is now {}, {} transactions in the mempool",
        hash,
        height,
        tip().height(),
        mempool.size());
    return mempool.size();
  }

  /** Empties the mempool, as a restart without mempool persistence does; returns how many left. */
  public synchronized int dropMempool() {
    int dropped = mempool.size();
    mempool.clear();
    log.info("dropped {} mempool transactions", dropped);
    return dropped;
  }

  public synchronized long height() {
    return chain.size() - 1L;
  }

  public synchronized Block tip() {
    return chain.get(chain.size() - 1);
  }

  public synchronized Optional<Block> blockAt(long height) {
    return height < 0 || height >= chain.size()
        ? Optional.empty()
        : Optional.of(chain.get((int) height));
  }

  public synchronized Optional<Block> block(String hash) {
    return Optional.ofNullable(blocksByHash.get(hash));
  }

  public synchronized int mempoolSize() {
    return mempool.size();
  }

  public synchronized long mempoolVsize() {
    return mempool.vsize();
  }

  /** Confirmed unspent outputs locked by {@code scriptPubKey}, oldest first. */
  public synchronized List<Coin> unspent(byte[] scriptPubKey) {
    return utxos.values().stream()
        .filter(coin -> Arrays.equals(coin.output().scriptPubKey(), scriptPubKey))
        .sorted(
            Comparator.comparingLong(Coin::height)
                .thenComparing(coin -> coin.outPoint().toString()))
        .toList();
  }

  /** A transaction in the mempool or in a block of the chain (the simulator keeps a txindex). */
  public synchronized Optional<LocatedTx> find(Txid txid) {
    Optional<Transaction> pending = mempool.get(txid);
    if (pending.isPresent()) {
      return Optional.of(new LocatedTx(pending.get(), Optional.empty(), 0));
    }
    Long height = confirmedHeights.get(txid);
    if (height == null) {
      return Optional.empty();
    }
    Block block = chain.get(height.intValue());
    Transaction tx =
        block.txs().stream().filter(t -> t.txid().equals(txid)).findFirst().orElseThrow();
    return Optional.of(new LocatedTx(tx, Optional.of(block), height() - height + 1));
  }

  /** Resets to genesis and connects {@code blocks} (heights 1..n) in order. */
  private void rebuild(List<Block> blocks) {
    chain.clear();
    blocksByHash.clear();
    utxos.clear();
    confirmedHeights.clear();
    mempool.clear();
    connect(Block.genesis());
    for (Block block : blocks) {
      Block tip = tip();
      if (block.height() != tip.height() + 1 || !block.prevHash().equals(tip.hash())) {
        throw new IllegalStateException(
            "stored block "
                + block.hash()
                + " does not extend the chain at height "
                + tip.height());
      }
      connect(block);
    }
  }

  /** Applies a block whose transactions were checked when they entered the mempool. */
  private void connect(Block block) {
    for (Transaction tx : block.txs()) {
      Txid txid = tx.txid();
      for (TxIn input : tx.inputs()) {
        if (input.outPoint().equals(FaucetTransactions.NULL_PREVOUT)) {
          continue;
        }
        if (utxos.remove(input.outPoint()) == null) {
          throw new IllegalStateException(
              "block " + block.hash() + " spends missing output " + input.outPoint());
        }
      }
      for (int vout = 0; vout < tx.outputs().size(); vout++) {
        OutPoint outPoint = new OutPoint(txid, vout);
        utxos.put(outPoint, new Coin(outPoint, tx.outputs().get(vout), block.height()));
      }
      confirmedHeights.put(txid, block.height());
    }
    chain.add(block);
    blocksByHash.put(block.hash(), block);
  }

  /** Puts a transaction of a disconnected block (or of the old mempool) back in the mempool. */
  private void readmit(Transaction tx) {
    Txid txid = tx.txid();
    if (mempool.contains(txid) || confirmedHeights.containsKey(txid)) {
      return;
    }
    if (FaucetTransactions.isFaucetPayment(tx)) {
      mempool.add(tx);
      return;
    }
    try {
      TransactionRules.check(tx, view, FeePolicy.READMIT);
      mempool.add(tx);
    } catch (Rejection e) {
      log.info("dropped {} after the reorganisation: {}", txid, e.getMessage());
    }
  }

  /** Confirmed coins plus mempool outputs; read under the ledger's lock only. */
  private final class LedgerView implements CoinView {
    @Override
    public Optional<TxOut> coin(OutPoint outPoint) {
      Coin coin = utxos.get(outPoint);
      return coin != null ? Optional.of(coin.output()) : mempool.output(outPoint);
    }

    @Override
    public Optional<Txid> mempoolSpender(OutPoint outPoint) {
      return mempool.spender(outPoint);
    }
  }
}
