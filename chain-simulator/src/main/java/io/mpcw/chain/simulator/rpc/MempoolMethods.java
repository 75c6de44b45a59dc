package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mpcw.chain.BtcAmount;
import io.mpcw.chain.simulator.ledger.FeePolicy;
import io.mpcw.chain.simulator.ledger.Ledger;
import io.mpcw.chain.simulator.ledger.LocatedTx;
import io.mpcw.chain.simulator.ledger.RejectReason;
import io.mpcw.chain.simulator.ledger.Rejection;
import io.mpcw.chain.simulator.metrics.ChainMetrics;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TransactionFormatException;
import io.mpcw.crypto.tx.Txid;
import java.util.Map;

/** Transactions: broadcast, lookup, and the mempool. */
final class MempoolMethods {
  private final Ledger ledger;
  private final ChainMetrics metrics;

  MempoolMethods(Ledger ledger, ChainMetrics metrics) {
    this.ledger = ledger;
    this.metrics = metrics;
  }

  Map<String, RpcMethod> methods() {
    return Map.of(
        "sendrawtransaction",
        this::sendRawTransaction,
        "getrawtransaction",
        this::getRawTransaction,
        "getmempoolinfo",
        p -> mempoolInfo(),
        "dropmempool",
        p -> IntNode.valueOf(ledger.dropMempool()));
  }

  /** {@code sendrawtransaction <hex> [maxfeerate BTC/kvB, default 0.10, 0 = no limit]}. */
  private JsonNode sendRawTransaction(Params params) {
    String hex = params.requireCount(1, 2).string(0);
    FeePolicy policy =
        params.optional(1).isPresent()
            ? FeePolicy.withMax(params.amountSats(1))
            : FeePolicy.DEFAULT;
    Transaction tx;
    try {
      tx = Transaction.parseHex(hex);
    } catch (TransactionFormatException e) {
      metrics.rejected(RejectReason.DECODE);
      throw new RpcException(
          RpcException.DESERIALIZATION_ERROR,
          "TX decode failed. Make sure the tx has at least one input. (" + e.getMessage() + ")");
    }
    try {
      Txid txid = ledger.submit(tx, policy);
      metrics.accepted();
      return TextNode.valueOf(txid.toDisplayHex());
    } catch (Rejection e) {
      metrics.rejected(e.reason());
      throw new RpcException(e.reason().code(), e.getMessage());
    }
  }

  /** {@code getrawtransaction <txid> [verbose]}: the simulator keeps a full transaction index. */
  private JsonNode getRawTransaction(Params params) {
    Txid txid = Hashes32.txid("txid", params.requireCount(1, 3).string(0));
    boolean verbose = params.optional(1).map(MempoolMethods::verbose).orElse(false);
    LocatedTx located =
        ledger
            .find(txid)
            .orElseThrow(
                () ->
                    new RpcException(
                        RpcException.INVALID_ADDRESS_OR_KEY,
                        "No such mempool or blockchain transaction."
                            + " Use gettransaction for wallet transactions."));
    return verbose
        ? TxJson.located(located, ledger.network())
        : TextNode.valueOf(located.tx().toHex());
  }

  private JsonNode mempoolInfo() {
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    synchronized (ledger) {
      json.put("loaded", true);
      json.put("size", ledger.mempoolSize());
      json.put("bytes", ledger.mempoolVsize());
    }
    json.put("minrelaytxfee", BtcAmount.toBtc(FeePolicy.DEFAULT.minRelaySatPerKvb()));
    json.put("mempoolminfee", BtcAmount.toBtc(FeePolicy.DEFAULT.minRelaySatPerKvb()));
    return json;
  }

  /** bitcoind takes a boolean or a verbosity number here. */
  private static boolean verbose(JsonNode value) {
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isIntegralNumber()) {
      return value.asInt() != 0;
    }
    throw new RpcException(RpcException.TYPE_ERROR, "verbose must be a boolean or a number");
  }
}
