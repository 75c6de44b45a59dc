package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import java.util.Optional;

/** What a new transaction is checked against: confirmed coins plus the mempool. */
interface CoinView {
  /** The unspent output {@code outPoint}, confirmed or created by a mempool transaction. */
  Optional<TxOut> coin(OutPoint outPoint);

  /** The mempool transaction already spending {@code outPoint}, if any. */
  Optional<Txid> mempoolSpender(OutPoint outPoint);
}
