package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mpcw.chain.simulator.ledger.Block;
import io.mpcw.chain.simulator.ledger.Ledger;
import io.mpcw.chain.simulator.metrics.ChainMetrics;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.tx.DustLimit;
import io.mpcw.crypto.tx.TxOut;
import java.util.Map;

/**
 * The simulator's stand-ins for a node wallet and for mining: {@code sendtoaddress} mints the
 * payment (there is no wallet balance to run out of), {@code generatetoaddress} mines blocks now.
 * Generated blocks carry no coinbase, so the address is checked but receives nothing.
 */
final class FaucetMethods {
  /** A bound so that one call cannot hold the ledger's lock for long. */
  static final int MAX_BLOCKS_PER_CALL = 1_000;

  private final Ledger ledger;
  private final ChainMetrics metrics;

  FaucetMethods(Ledger ledger, ChainMetrics metrics) {
    this.ledger = ledger;
    this.metrics = metrics;
  }

  Map<String, RpcMethod> methods() {
    return Map.of(
        "sendtoaddress", this::sendToAddress,
        "generatetoaddress", this::generateToAddress);
  }

  /** {@code sendtoaddress <address> <amount> [comment] [comment_to]}. */
  private JsonNode sendToAddress(Params params) {
    params.requireCount(2, 4);
    SegwitAddress address = BlockchainMethods.decodeAddress(params.string(0), ledger.network());
    long sats = params.amountSats(1);
    if (sats <= 0) {
      throw new RpcException(RpcException.TYPE_ERROR, "Invalid amount for send");
    }
    if (DustLimit.isDust(new TxOut(sats, address.scriptPubKey()))) {
      throw new RpcException(RpcException.WALLET_ERROR, "Transaction amount too small");
    }
    String txid = ledger.faucet(address.scriptPubKey(), sats).toDisplayHex();
    metrics.faucetPayment();
    return TextNode.valueOf(txid);
  }

  /** {@code generatetoaddress <nblocks> <address> [maxtries]}. */
  private JsonNode generateToAddress(Params params) {
    long blocks = params.requireCount(2, 3).integer(0);
    BlockchainMethods.decodeAddress(params.string(1), ledger.network());
    if (blocks < 0 || blocks > MAX_BLOCKS_PER_CALL) {
      throw new RpcException(
          RpcException.INVALID_PARAMETER,
          "nblocks must be between 0 and " + MAX_BLOCKS_PER_CALL + ", got " + blocks);
    }
    ArrayNode hashes = RpcJson.MAPPER.createArrayNode();
    for (Block block : ledger.mine((int) blocks)) {
      hashes.add(block.hash());
    }
    return hashes;
  }
}
