package io.mpcw.chain;

import java.util.Optional;

/**
 * A transaction the chain knows.
 *
 * @param txid display hex txid
 * @param rawHex the transaction as the chain has it
 * @param confirmations 0 while in the mempool, 1 once in the best block, and so on
 * @param blockHash the confirming block, empty while unconfirmed
 */
public record TxStatus(
    String txid, String rawHex, long confirmations, Optional<String> blockHash) {}
