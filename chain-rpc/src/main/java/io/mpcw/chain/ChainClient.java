package io.mpcw.chain;

import java.util.List;
import java.util.Optional;

/**
 * What the orchestrator needs from a Bitcoin chain. One implementation speaks bitcoind's JSON-RPC
 * ({@link BitcoindRpcClient}); the chain simulator serves that same subset, so a local run and a
 * real network take the same code path.
 *
 * <p>Every method throws {@link ChainUnavailableException} when the chain cannot be reached or
 * answers garbage (retry later), and {@link ChainRejectedException} when it refuses the request (do
 * not retry the same request).
 */
public interface ChainClient {

  /** Height of the best block ({@code getblockcount}). */
  long blockHeight();

  /**
   * The best block's height and hash from one request ({@code getblockchaininfo}: {@code blocks},
   * {@code bestblockhash}); two separate calls could pair a height with another block's hash.
   */
  ChainTip tip();

  /**
   * Confirmed unspent outputs paying {@code address} ({@code scantxoutset start
   * ["addr(<address>)"]}). Outputs in the mempool are not included, as with bitcoind.
   */
  List<Utxo> unspent(String address);

  /**
   * The block at {@code height} of the best chain ({@code getblockhash}, {@code getblock <hash>
   * 2}): how a wallet follows the chain once per block instead of scanning the UTXO set.
   */
  ChainBlock block(long height);

  /**
   * Submits a signed transaction ({@code sendrawtransaction}). A transaction the chain already has,
   * in its mempool or in a block, counts as accepted: the result is its txid either way.
   *
   * @throws ChainRejectedException when the chain refuses it (invalid signature, double spend,
   *     missing inputs...), with bitcoind's code and message
   */
  String broadcast(String rawTransactionHex);

  /**
   * Where a transaction stands ({@code getrawtransaction <txid> true}): empty when the chain does
   * not know it (never seen, or dropped from the mempool / reorganised away and not re-sent).
   */
  Optional<TxStatus> transaction(String txid);

  /**
   * Faucet / wallet payment ({@code sendtoaddress <address> <btc>}): pays {@code sats} to {@code
   * address}; returns the txid. On the simulator this mints coins; on bitcoind it spends from the
   * node's own wallet.
   */
  String sendToAddress(String address, long sats);

  /** Mines {@code blocks} blocks now ({@code generatetoaddress}); returns their hashes. */
  List<String> mine(int blocks, String address);
}
