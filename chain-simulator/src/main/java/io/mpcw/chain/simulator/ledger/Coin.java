package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.TxOut;

/** A confirmed unspent output and the height of the block that created it. */
public record Coin(OutPoint outPoint, TxOut output, long height) {}
