package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxIn;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unconfirmed transactions in arrival order, which is also a valid block order: a transaction can
 * only enter after the parents it spends. Not thread-safe; the ledger's lock guards it.
 */
final class Mempool {
  private final Map<Txid, Transaction> txs = new LinkedHashMap<>();
  private final Map<OutPoint, Txid> spenders = new HashMap<>();

  void add(Transaction tx) {
    Txid txid = tx.txid();
    txs.put(txid, tx);
    for (TxIn input : tx.inputs()) {
      spenders.put(input.outPoint(), txid);
    }
  }

  boolean contains(Txid txid) {
    return txs.containsKey(txid);
  }

  Optional<Transaction> get(Txid txid) {
    return Optional.ofNullable(txs.get(txid));
  }

  /** The mempool transaction spending {@code outPoint}, if any. */
  Optional<Txid> spender(OutPoint outPoint) {
    return Optional.ofNullable(spenders.get(outPoint));
  }

  /** The output {@code outPoint} of a mempool transaction, if there is one. */
  Optional<TxOut> output(OutPoint outPoint) {
    Transaction parent = txs.get(outPoint.txid());
    if (parent == null || outPoint.vout() >= parent.outputs().size()) {
      return Optional.empty();
    }
    return Optional.of(parent.outputs().get((int) outPoint.vout()));
  }

  List<Transaction> transactions() {
    return List.copyOf(txs.values());
  }

  int size() {
    return txs.size();
  }

  long vsize() {
    return txs.values().stream().mapToLong(Transaction::vsize).sum();
  }

  void clear() {
    txs.clear();
    spenders.clear();
  }
}
