package io.mpcw.chain;

/**
 * A confirmed unspent output.
 *
 * @param txid display (big-endian) hex of the funding transaction
 * @param vout output index
 * @param valueSats value in satoshis
 * @param scriptPubKeyHex the output's script
 * @param height block height that confirmed it
 */
public record Utxo(String txid, int vout, long valueSats, String scriptPubKeyHex, long height) {}
