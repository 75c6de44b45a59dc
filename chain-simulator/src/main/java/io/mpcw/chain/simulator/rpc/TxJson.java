package io.mpcw.chain.simulator.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcw.chain.BtcAmount;
import io.mpcw.chain.simulator.ledger.Block;
import io.mpcw.chain.simulator.ledger.LocatedTx;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxIn;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import io.mpcw.crypto.util.Hex;
import java.util.Optional;

/** Transactions and blocks in the shape of bitcoind's verbose RPC answers. */
final class TxJson {
  private static final int OP_RETURN = 0x6a;
  private static final OutPoint NULL_PREVOUT =
      new OutPoint(Txid.fromInternalBytes(new byte[Txid.LENGTH]), 0xffffffffL);

  private TxJson() {}

  /** {@code getrawtransaction <txid> true}: confirmations and blockhash only once confirmed. */
  static ObjectNode located(LocatedTx located, Network network) {
    ObjectNode json = transaction(located.tx(), network);
    located
        .block()
        .ifPresent(
            block -> {
              json.put("blockhash", block.hash());
              json.put("confirmations", located.confirmations());
              json.put("time", block.time());
              json.put("blocktime", block.time());
            });
    return json;
  }

  static ObjectNode transaction(Transaction tx, Network network) {
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    json.put("txid", tx.txid().toDisplayHex());
    json.put("hash", tx.wtxid().toDisplayHex());
    json.put("version", tx.version());
    json.put("size", tx.totalSize());
    json.put("vsize", tx.vsize());
    json.put("weight", tx.weight());
    json.put("locktime", tx.lockTime());
    ArrayNode vin = json.putArray("vin");
    for (int i = 0; i < tx.inputs().size(); i++) {
      vin.add(input(tx, i));
    }
    ArrayNode vout = json.putArray("vout");
    for (int n = 0; n < tx.outputs().size(); n++) {
      vout.add(output(tx.outputs().get(n), n, network));
    }
    json.put("hex", tx.toHex());
    return json;
  }

  /** {@code getblock <hash> 1}, or 2 with the transactions decoded. */
  static ObjectNode block(
      Block block, long tipHeight, Optional<Block> next, boolean decodeTxs, Network network) {
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    json.put("hash", block.hash());
    json.put("confirmations", tipHeight - block.height() + 1);
    json.put("height", block.height());
    json.put("merkleroot", block.txRoot());
    json.put("time", block.time());
    json.put("nonce", block.nonce());
    json.put("nTx", block.txs().size());
    if (block.height() > 0) {
      json.put("previousblockhash", block.prevHash());
    }
    next.ifPresent(n -> json.put("nextblockhash", n.hash()));
    ArrayNode txs = json.putArray("tx");
    for (Transaction tx : block.txs()) {
      if (decodeTxs) {
        txs.add(transaction(tx, network));
      } else {
        txs.add(tx.txid().toDisplayHex());
      }
    }
    return json;
  }

  /** The address {@code scriptPubKey} pays, when it is a segwit output of {@code network}. */
  static Optional<String> address(byte[] scriptPubKey, Network network) {
    return SegwitAddress.fromScriptPubKey(network, scriptPubKey).map(SegwitAddress::toString);
  }

  private static ObjectNode input(Transaction tx, int index) {
    TxIn in = tx.inputs().get(index);
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    if (in.outPoint().equals(NULL_PREVOUT)) {
      json.put("coinbase", Hex.encode(in.scriptSig()));
    } else {
      json.put("txid", in.outPoint().txid().toDisplayHex());
      json.put("vout", in.outPoint().vout());
      json.putObject("scriptSig").put("hex", Hex.encode(in.scriptSig()));
      if (!tx.witness(index).isEmpty()) {
        ArrayNode witness = json.putArray("txinwitness");
        tx.witness(index).items().forEach(item -> witness.add(Hex.encode(item)));
      }
    }
    json.put("sequence", in.sequence());
    return json;
  }

  private static ObjectNode output(TxOut out, int n, Network network) {
    ObjectNode json = RpcJson.MAPPER.createObjectNode();
    json.put("value", BtcAmount.toBtc(out.valueSats()));
    json.put("n", n);
    ObjectNode script = json.putObject("scriptPubKey");
    byte[] bytes = out.scriptPubKey();
    script.put("hex", Hex.encode(bytes));
    address(bytes, network).ifPresent(a -> script.put("address", a));
    script.put("type", type(bytes, network));
    return json;
  }

  private static String type(byte[] script, Network network) {
    if (script.length > 0 && (script[0] & 0xff) == OP_RETURN) {
      return "nulldata";
    }
    return SegwitAddress.fromScriptPubKey(network, script)
        .map(
            a -> {
              if (a.witnessVersion() == 1 && a.program().length == 32) {
                return "witness_v1_taproot";
              }
              if (a.witnessVersion() == 0) {
                return a.program().length == 20 ? "witness_v0_keyhash" : "witness_v0_scripthash";
              }
              return "witness_unknown";
            })
        .orElse("nonstandard");
  }
}
