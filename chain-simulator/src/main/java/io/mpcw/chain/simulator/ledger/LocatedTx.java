package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.tx.Transaction;
import java.util.Optional;

/**
 * A transaction the ledger knows, and where.
 *
 * @param block the confirming block, empty while in the mempool
 * @param confirmations 0 in the mempool, 1 in the tip, and so on
 */
public record LocatedTx(Transaction tx, Optional<Block> block, long confirmations) {}
